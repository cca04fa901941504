import FakeModemKit
import Testing
import TMDiagCore
@testable import MBIM

/// Bytes as in the MBIM specification's examples: little-endian u32s.
private func u32s(_ vs: UInt32...) -> [UInt8] {
    vs.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8 & 0xFF), UInt8($0 >> 16 & 0xFF), UInt8($0 >> 24)] }
}

private func utf16(_ s: String) -> [UInt8] { s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

@Suite("MBIM framing, strings and fragments")
struct MBIMCodecTests {
    @Test func basicConnectUUIDIsInWireOrder() {
        // libmbim mbim-uuid.c: a289cc33-bcbb-8b4f-b6b0-133ec2aae6df, bytes as printed.
        #expect(MBIMService.basicConnect.uuid == [0xa2, 0x89, 0xcc, 0x33, 0xbc, 0xbb, 0x8b, 0x4f, 0xb6, 0xb0, 0x13, 0x3e, 0xc2, 0xaa, 0xe6, 0xdf])
        #expect(MBIMService.named(uuid: MBIMService.msBasicConnectExtensions.uuid) == .msBasicConnectExtensions)
    }

    @Test func openCloseAndCommandRoundTrip() throws {
        let open = MBIMMessage.open(transactionId: 1, maxControlTransfer: 4096)
        #expect(open.bytes == u32s(1, 16, 1, 4096))
        #expect(open.type == .open && open.name == "OPEN")
        #expect(MBIMMessage.close(transactionId: 9).bytes == u32s(2, 12, 9))
        let q = MBIMMessage.command(transactionId: 7, service: .basicConnect, cid: 9, type: .query)
        #expect(q.bytes.count == 48)
        #expect(q.length == 48 && q.transactionId == 7 && q.cid == 9 && q.word40 == 0)
        #expect(q.totalFragments == 1 && q.currentFragment == 0)
        #expect(Array(q.serviceUUID) == MBIMService.basicConnect.uuid)
        #expect(q.informationBuffer == [])
        #expect(q.name == "QUERY BASIC_CONNECT REGISTER_STATE")
        // The framing reads the length back.
        #expect(MBIMMessage.framing.length(q.bytes[0..<12]) == 48)
        #expect(MBIMMessage.framing.length(ArraySlice(u32s(0x1234, 48, 1))) == nil, "an unknown type is no MBIM header")
    }

    @Test func commandDoneBufferIsBoundsChecked() {
        let done = MBIMMessage(bytes: u32s(0x8000_0003, 52, 3, 1, 0) + MBIMService.basicConnect.uuid + u32s(3, 0, 4) + u32s(1))
        #expect(done.informationBuffer == u32s(1))
        // InformationBufferLength claims more than the message holds.
        let lying = MBIMMessage(bytes: u32s(0x8000_0003, 52, 3, 1, 0) + MBIMService.basicConnect.uuid + u32s(3, 0, 400) + u32s(1))
        #expect(lying.informationBuffer == nil)
    }

    @Test func stringsAreReadByOffsetAndLength() throws {
        // Two pairs, then the data part: "EM7455" and "ab".
        let em = utf16("EM7455"), ab = utf16("ab")
        let b = u32s(16, UInt32(em.count), 28, UInt32(ab.count)) + em + ab
        let r = MBIMBufferReader(b)
        #expect(try r.string(pairAt: 0, fixedEnd: 16, "first") == "EM7455")
        #expect(try r.string(pairAt: 8, fixedEnd: 16, "second") == "ab")
        // Length 0 is no string.
        #expect(try MBIMBufferReader(u32s(0, 0)).string(pairAt: 0, fixedEnd: 8, "none") == nil)
    }

    @Test func stringsThatLieAreErrors() {
        let em = utf16("EM7455")
        // Past the end.
        #expect(throws: MBIMDecodeError.self) { try MBIMBufferReader(u32s(8, 400) + em).string(pairAt: 0, fixedEnd: 8, "x") }
        // An offset so large that offset + length overflows nothing but still lies outside.
        #expect(throws: MBIMDecodeError.self) { try MBIMBufferReader(u32s(0xFFFF_FFF0, 0x20) + em).string(pairAt: 0, fixedEnd: 8, "x") }
        // Odd byte length for UTF-16.
        #expect(throws: MBIMDecodeError.self) { try MBIMBufferReader(u32s(8, 3) + em).string(pairAt: 0, fixedEnd: 8, "x") }
        // Pointing into the fixed part.
        #expect(throws: MBIMDecodeError.self) { try MBIMBufferReader(u32s(0, 4) + em).string(pairAt: 0, fixedEnd: 8, "x") }
        // The pair itself is cut off.
        #expect(throws: MBIMDecodeError.self) { try MBIMBufferReader(u32s(8)).string(pairAt: 0, fixedEnd: 8, "x") }
    }

    @Test func fragmentsAreReassembled() throws {
        let buffer = [UInt8](repeating: 0x5A, count: 300)
        let whole = FakeMBIMModem.commandDone(tid: 4, uuid: MBIMService.basicConnect.uuid, cid: 1, status: 0, buffer: buffer)
        let parts = FakeMBIMModem.fragments(whole, size: 64)
        #expect(parts.count > 3)
        var c = MBIMFragmentCollector()
        var out: MBIMMessage?
        for (i, p) in parts.enumerated() {
            out = try c.add(MBIMMessage(bytes: p))
            #expect((out == nil) == (i < parts.count - 1))
        }
        let m = try #require(out)
        #expect(m.bytes == whole, "reassembled exactly into the unfragmented message")
        #expect(m.informationBuffer == buffer)
    }

    @Test func fragmentsOutOfSequenceOrFloodingAreErrors() throws {
        let whole = FakeMBIMModem.commandDone(tid: 4, uuid: MBIMService.basicConnect.uuid, cid: 1, status: 0, buffer: [UInt8](repeating: 1, count: 200))
        let parts = FakeMBIMModem.fragments(whole, size: 64)
        var c = MBIMFragmentCollector()
        _ = try c.add(MBIMMessage(bytes: parts[0]))
        #expect(throws: MBIMFragmentCollector.Failure.self) { _ = try c.add(MBIMMessage(bytes: parts[2])) }
        // A later fragment without its first.
        var d = MBIMFragmentCollector()
        #expect(throws: MBIMFragmentCollector.Failure.self) { _ = try d.add(MBIMMessage(bytes: parts[1])) }
        // A million fragments announced.
        var flood = parts[0]
        FakeMBIMModem.put32(&flood, 12, 1_000_000)
        var e = MBIMFragmentCollector()
        #expect(throws: MBIMFragmentCollector.Failure.flood("a reply announced 1000000 fragments (the limit is 64)")) {
            _ = try e.add(MBIMMessage(bytes: flood))
        }
        // Current beyond total.
        var bad = parts[0]
        FakeMBIMModem.put32(&bad, 16, 9)
        FakeMBIMModem.put32(&bad, 12, 2)
        var f = MBIMFragmentCollector()
        #expect(throws: MBIMFragmentCollector.Failure.self) { _ = try f.add(MBIMMessage(bytes: bad)) }
    }

    @Test func subscriberReadyStatusV1AndV3AreToldApartByShape() throws {
        typealias F = FakeMBIMModem.Field
        let v1 = FakeMBIMModem.build([F.u32(1), .str("310260123456789"), .str("8901260123456789012"), .u32(0), .u32(1), .str("+12065550142")])
        let v3 = FakeMBIMModem.build([F.u32(1), .u32(6), .str("310260123456789"), .str("8901260123456789012"), .u32(0), .u32(1), .str("+12065550142")])
        for (b, layout) in [(v1, 1), (v3, 3)] {
            let s = try MBIMSubscriberReadyStatus.parse(b)
            #expect(s.layout == layout)
            #expect(s.readyState == 1)
            #expect(s.subscriberId == "310260123456789")
            #expect(s.simIccId == "8901260123456789012")
            #expect(s.telephoneNumbers == ["+12065550142"])
        }
        #expect(try MBIMSubscriberReadyStatus.parse(v3).flags == 6)
        // No strings at all: the buffer's length decides (v1 28 bytes, v3 32).
        let emptyV1 = FakeMBIMModem.build([F.u32(2), .str(nil), .str(nil), .u32(0), .u32(0)])
        let emptyV3 = FakeMBIMModem.build([F.u32(2), .u32(0), .str(nil), .str(nil), .u32(1), .u32(0)])
        #expect(try MBIMSubscriberReadyStatus.parse(emptyV1).layout == 1)
        #expect(try MBIMSubscriberReadyStatus.parse(emptyV3).layout == 3)
        #expect(try MBIMSubscriberReadyStatus.parse(emptyV3).readyInfo == 1)
        // Neither.
        #expect(throws: MBIMDecodeError.self) { try MBIMSubscriberReadyStatus.parse(u32s(1, 2, 3)) }
        #expect(throws: MBIMDecodeError.self) { try MBIMSubscriberReadyStatus.parse(u32s(1, 900, 30, 0, 0, 0, 0)) }
    }

    @Test func registerPacketAndSignalMBIMExLayouts() throws {
        typealias F = FakeMBIMModem.Field
        let reg1 = FakeMBIMModem.build([F.u32(7), .u32(6), .u32(1), .u32(0x20), .u32(1), .str("310260"), .str("T-Mobile"), .str(nil), .u32(0)])
        let reg2 = FakeMBIMModem.build([F.u32(0), .u32(3), .u32(1), .u32(0x20), .u32(1), .str("310260"), .str("T-Mobile"), .str(nil), .u32(0), .u32(0x20)])
        let r1 = try MBIMRegisterState.parse(reg1), r2 = try MBIMRegisterState.parse(reg2)
        #expect(r1.layout == 1 && r1.nwError == 7 && r1.registerState == MBIMRegisterState.denied && r1.providerName == "T-Mobile")
        #expect(r2.layout == 2 && r2.preferredDataClasses == 0x20 && r2.providerId == "310260")

        let p3 = FakeMBIMModem.build([F.u32(0), .u32(2), .u32(1 << 6), .u64(1), .u64(2), .u32(1), .u32(1), .u16(310), .u16(260), .u32(0x1A2B)])
        let p = try MBIMPacketService.parse(p3)
        #expect(p.layout == 3 && p.tac == 0x1A2B && p.dataSubclass == 1)
        #expect(MBIMDataClass.technology(p.dataClass, v3: true, subclass: p.dataSubclass) == "nr5g-nsa")
        #expect(MBIMDataClass.technology(1 << 6) == "nr5g-nsa", "MBIM 1.0 bit 6 is 5G NSA")
        #expect(MBIMDataClass.technology(1 << 7 | 1 << 5) == "nr5g-sa")

        let s2 = FakeMBIMModem.build([F.u32(21), .u32(99), .u32(0), .u32(0), .u32(0), .u32(28), .u32(24), .u32(1), .u32(61), .u32(72), .u32(0), .u32(0), .u32(0x20)])
        let s = try MBIMSignalState.parse(s2)
        #expect(s.layout == 2 && s.rssiDbm == -71)
        #expect(s.rsrpSnr.first?.rsrpDbm == -96)
        #expect(s.rsrpSnr.first?.snrDb == 12.5)
        // A count that cannot fit.
        let lie = u32s(21, 99, 0, 0, 0, 28, 24, 5000)
        #expect(throws: MBIMDecodeError.self) { try MBIMSignalState.parse(lie) }
        #expect(try MBIMSignalState.parse(u32s(99, 99, 0, 0, 0)).rssiDbm == nil)
    }

    @Test func factsFollowTheContract() throws {
        var b = MBIMFactsBuilder()
        b.add(MBIMSignalState(rssi: 31, errorRate: 0, rsrpSnr: [], layout: 1))
        #expect(b.facts.signal?.rssiDbm == -51 && b.facts.signal?.csq == 31 && b.facts.signal?.quality == .excellent)
        b.add(MBIMSignalState(rssi: 99, errorRate: 99, rsrpSnr: [], layout: 1))
        #expect(b.facts.signal?.rssiDbm == nil && b.facts.signal?.quality == .unknown)
        b.add(MBIMRadioState(hardwareOn: false, softwareOn: true))
        #expect(b.facts.functionality == 4 && b.facts.radio == RadioFacts(hardware: false, software: true))
        #expect(MBIMFactsBuilder.operatorInfo(id: "23415", name: "Vodafone UK") == OperatorInfo(name: "Vodafone UK", mcc: "234", mnc: "15"))
    }
}
