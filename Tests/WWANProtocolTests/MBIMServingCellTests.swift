import FakeModemKit
import Testing
import TMDiagCore
@testable import MBIM

@Suite("MBIM serving cell: DEVICE_SERVICES, then BASE_STATIONS_INFO only where listed")
struct MBIMServingCellTests {
    @Test func aListedBaseStationsInfoFillsTheCellAndSignal() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")))
        let r = MBIMClient.read(path: fake.path, options: testOptions())
        #expect(fake.violations.isEmpty, "not allowed: \(fake.violations)")
        #expect(r.sent.contains("QUERY BASIC_CONNECT DEVICE_SERVICES"))
        #expect(r.sent.filter { $0 == "QUERY MS_BASIC_CONNECT_EXTENSIONS BASE_STATIONS_INFO" }.count == 1, "\(r.sent)")
        let eps = try #require(r.facts.registration?.domains.first { $0.domain == "eps" })
        #expect(eps == DomainRegistration(domain: "eps", stat: 1, state: .home, lac: "1A2B", cellId: "01A2D101", technology: "lte"))
        // SIGNAL_STATE (MBIM 1.0) had no RSRP: the serving cell's fills it, and the word follows RSRP.
        #expect(r.facts.signal?.rsrpDbm == -88 && r.facts.signal?.rsrqDb == -11 && r.facts.signal?.quality == .good)
        #expect(r.facts.signal?.csq == 21, "SIGNAL_STATE's own values stay")
        let line = try #require(r.facts.vendor?[MBIMFactsBuilder.servingCellKey])
        #expect(line == "LTE serving cell: PLMN 310260, EARFCN 5110, PCI 123, timing advance 3")
        #expect(r.errors.isEmpty, "\(r.errors)")
    }

    @Test func aFunctionWithoutTheServiceIsNotAskedForCells() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") { $0.cellInfo = false }))
        let r = MBIMClient.read(path: fake.path, options: testOptions())
        #expect(fake.violations.isEmpty, "not allowed: \(fake.violations)")
        #expect(r.sent.contains("QUERY BASIC_CONNECT DEVICE_SERVICES"))
        #expect(!r.sent.contains { $0.contains("BASE_STATIONS_INFO") }, "\(r.sent)")
        #expect(!fake.received.contains { $0.contains("BASE_STATIONS_INFO") }, "\(fake.received)")
        #expect(r.facts.registration?.domains.isEmpty == true)
        #expect(r.facts.signal?.rsrpDbm == nil && r.facts.registration?.state == .home)
        #expect(r.details.contains { $0.hasPrefix("no serving-cell detail") }, "\(r.details)")
    }

    @Test func signalStatesOwnRSRPIsKept() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") { $0.mbimex = 2 }))
        let r = MBIMClient.read(path: fake.path, options: testOptions())
        #expect(r.facts.signal?.rsrpDbm == -96, "SIGNAL_STATE v2's RSRP, not the cell's -88")
        #expect(r.facts.signal?.rsrqDb == nil)
        #expect(r.facts.registration?.domains.first?.cellId == "01A2D101")
    }

    @Test func onlyTheFixedParametersMaySend() {
        let ok = MBIMMessage.command(transactionId: 1, service: .msBasicConnectExtensions, cid: 11, type: .query,
                                     buffer: MBIMCommand.baseStationsInfoParameters)
        #expect(MBIMSession.refusal(ok, viaProxy: false) == nil)
        let other = MBIMMessage.command(transactionId: 1, service: .msBasicConnectExtensions, cid: 11, type: .query,
                                        buffer: FakeMBIMModem.u32s(15, 15, 15, 16, 15))
        #expect(MBIMSession.refusal(other, viaProxy: false) != nil)
        let none = MBIMMessage.command(transactionId: 1, service: .msBasicConnectExtensions, cid: 11, type: .query)
        #expect(MBIMSession.refusal(none, viaProxy: false) != nil)
        let set = MBIMMessage.command(transactionId: 1, service: .msBasicConnectExtensions, cid: 11, type: .set,
                                      buffer: MBIMCommand.baseStationsInfoParameters)
        #expect(MBIMSession.refusal(set, viaProxy: false) != nil)
        let withParameters = MBIMMessage.command(transactionId: 1, service: .basicConnect, cid: 16, type: .query, buffer: [0, 0, 0, 0])
        #expect(MBIMSession.refusal(withParameters, viaProxy: false) != nil)
    }

    /// An MBIMEx v3 reply: SystemType, SystemSubType, eleven pairs; only an NR serving cell.
    @Test func mbimexV3NRServingCellsAreRead() throws {
        let cell = FakeMBIMModem.build([.str("310260"), .u64(0x1_2345_6789), .u32(501), .u32(627_264), .u32(0x00_1A2B),
                                        .u32(66), .u32(32), .u32(45), .u64(UInt64.max)])
        let list = FakeMBIMModem.u32s(1) + cell
        let fixed: UInt32 = 8 + 11 * 8
        let b = FakeMBIMModem.u32s(0x40, 2) + FakeMBIMModem.u32s(0, 0, 0, 0, 0, 0, 0, 0) + FakeMBIMModem.u32s(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            + FakeMBIMModem.u32s(fixed, UInt32(list.count), 0, 0) + list
        let info = try MBIMBaseStationsInfo.parse(b)
        #expect(info.layout == 3 && info.lte == nil)
        let nr = try #require(info.nr.first)
        #expect(nr.providerId == "310260" && nr.nci == 0x1_2345_6789 && nr.physicalCellId == 501 && nr.nrarfcn == 627_264)
        #expect(nr.rsrpDbm == -90 && nr.rsrqDb == -11 && nr.sinrDb == 22 && nr.timingAdvance == nil)
        var builder = MBIMFactsBuilder()
        builder.add(info)
        let line = try #require(builder.facts.registration?.domains.first)
        #expect(line.domain == "5gs" && line.lac == "001A2B" && line.cellId == "123456789" && line.technology == "nr5g-sa")
    }

    @Test func lyingOffsetsAreDecodeErrors() {
        var b = FakeMBIMModem.baseStationsInfoForTests()
        FakeMBIMModem.put32(&b, 32, 10_000)
        #expect(throws: MBIMDecodeError.self) { try MBIMBaseStationsInfo.parse(b) }
        let services = FakeMBIMModem.u32s(1_000_000, 0)
        #expect(throws: MBIMDecodeError.self) { try MBIMDeviceServices.parse(services) }
    }
}
