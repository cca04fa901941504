import QMI
import TMDiagCore

// libFuzzer target: what a QMI port sends. The input is a byte stream, cut into QMUX messages
// by their marker and length field and the limits (as `MessagePort` reads them); each message
// is named and validated, and its TLVs go through the result, the string readers and every
// reply parser, and on into the facts. Parsing with all of them, not only the one its message
// id names, reaches more code per input.
// Seeds: the fake QMI modem's conversations (FuzzSeeds.swift).

func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) -> Int32 {
    let framing = QMIMessage.framing
    var builder = QMIFactsBuilder()
    var rest = input[...]
    while rest.count >= framing.headerBytes {
        guard let length = framing.length(ArraySlice(rest.prefix(framing.headerBytes))),
              length >= framing.minLength, length <= framing.maxLength, length <= rest.count else { break }
        let message = QMIMessage(bytes: Array(rest.prefix(length)))
        rest = rest.dropFirst(length)
        _ = message.name
        _ = (message.transactionId, message.isResponse, message.isIndication)
        try? message.validate()
        guard let t = try? message.tlvs() else { continue }
        _ = t.result.map { QMIErrorCode.name($0.error) }
        builder.add(manufacturer: t.string(0x01))
        builder.add(model: t.string(0x01))
        builder.add(revision: t.string(0x01))
        builder.add(iccid: t.string(0x01))
        builder.add(imsi: t.string(0x01))
        builder.add(msisdn: t.string(0x01))
        builder.add(QMIDeviceIDs.parse(t))
        if let v = try? QMIOperatingMode.parse(t) { builder.add(v); _ = (v.name, v.functionality) }
        if let v = try? QMICardStatus.parse(t) { builder.add(v); _ = v.primary }
        if let v = try? QMIServingSystem.parse(t) { builder.add(v) }
        if let v = try? QMIHomeNetwork.parse(t) { builder.add(v) }
        if let v = try? QMISystemInfo.parse(t) { builder.add(v) }
        if let v = try? QMISignalInfo.parse(t) { builder.add(v) }
        if let v = try? QMISignalStrength.parse(t) { builder.add(v) }
    }
    return 0
}
