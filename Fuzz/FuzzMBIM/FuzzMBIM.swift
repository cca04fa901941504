@testable import MBIM
import TMDiagCore

// libFuzzer target: what an MBIM port sends. The input is a byte stream, cut into messages by
// MBIM's length field and limits (as `MessagePort` reads them); each message is named, checked
// by the allowlist, put through fragment reassembly, and every whole message's information
// buffer through every Basic Connect reply parser and on into the facts. Parsing with all of
// them, not only the one its CID names, reaches more code per input.
// Seeds: the fake MBIM modem's conversations (FuzzSeeds.swift).

func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) -> Int32 {
    let framing = MBIMMessage.framing
    var collector = MBIMFragmentCollector()
    var builder = MBIMFactsBuilder()
    var rest = input[...]
    while rest.count >= framing.headerBytes {
        guard let length = framing.length(ArraySlice(rest.prefix(framing.headerBytes))),
              length >= framing.minLength, length <= framing.maxLength, length <= rest.count else { break }
        let message = MBIMMessage(bytes: Array(rest.prefix(length)))
        rest = rest.dropFirst(length)
        _ = message.name
        _ = MBIMSession.refusal(message, viaProxy: false)
        _ = MBIMSession.refusal(message, viaProxy: true)
        _ = MBIMStatus.name(message.word40)
        _ = MBIMStatus.protocolError(message.word12)
        let whole: MBIMMessage?
        do { whole = try collector.add(message) } catch { continue }
        guard let whole, let buffer = whole.informationBuffer else { continue }
        if let v = try? MBIMDeviceCaps.parse(buffer) { builder.add(v) }
        if let v = try? MBIMSubscriberReadyStatus.parse(buffer) { builder.add(v); _ = v.stateName }
        if let v = try? MBIMPinInfo.parse(buffer) { builder.add(v); _ = v.typeName }
        if let v = try? MBIMRadioState.parse(buffer) { builder.add(v) }
        if let v = try? MBIMProvider.parse(buffer) { builder.add(home: v) }
        if let v = try? MBIMRegisterState.parse(buffer) { builder.add(v) }
        if let v = try? MBIMPacketService.parse(buffer) { builder.add(v) }
        if let v = try? MBIMSignalState.parse(buffer) { builder.add(v); _ = v.rssiDbm; _ = v.rsrpSnr.map { ($0.rsrpDbm, $0.snrDb) } }
    }
    return 0
}
