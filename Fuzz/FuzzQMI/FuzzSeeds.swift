import FakeModemKit
import Foundation
import QMI

// The seeds: what the fake QMI modem answers to tmdiag's own requests (CTL version and client
// ids, every DMS, UIM and NAS read the client sends, the releases), one conversation per
// scenario and misbehaviour, each a byte stream as a port would deliver it.

private let scenarios = ["healthy", "sim-absent", "pin-required", "puk-required", "denied", "roaming", "radio-off", "garbage"]
private let reads: [QMIService: [QMIMessageSpec]] = [
    .dms: [.dmsGetManufacturer, .dmsGetModel, .dmsGetRevision, .dmsGetIDs, .dmsGetOperatingMode, .dmsGetICCID,
           .dmsGetIMSI, .dmsGetMSISDN],
    .uim: [.uimGetCardStatus],
    .nas: [.nasGetServingSystem, .nasGetHomeNetwork, .nasGetSystemInfo, .nasGetSignalInfo, .nasGetSignalStrength],
]

func writeSeeds(into dir: String) {
    var behaviours: [(String, FakeQMIModem.Behaviour)] = []
    for name in scenarios {
        for noise in 0...1 {
            guard var b = FakeQMIModem.scenario(name) else { continue }
            b.noiseBeforeReply = noise
            behaviours.append((noise == 0 ? name : "\(name)-noise", b))
        }
    }
    func healthy(_ tag: String, _ change: (inout FakeQMIModem.Behaviour) -> Void) {
        var b = FakeQMIModem.scenario("healthy")!
        change(&b)
        behaviours.append((tag, b))
    }
    healthy("lying-length") { $0.lyingLength = true }
    healthy("truncated") { $0.truncate = true }
    healthy("nas-exhausted") { $0.exhausted = [QMIService.nas.id] }
    healthy("closed") { $0.hangUpAfter = 6 }

    for (tag, behaviour) in behaviours {
        var fake = FakeQMIModem(behaviour)
        var stream: [UInt8] = []
        var gone = false
        var ctlId: UInt16 = 0, serviceId: UInt16 = 0
        func ask(_ m: QMIMessage) -> [QMIMessage] {
            guard !gone else { return [] }
            var replies: [QMIMessage] = []
            for output in fake.answer(m.bytes) {
                switch output {
                case .message(let b), .raw(let b): stream += b; replies.append(QMIMessage(bytes: b))
                case .flood(let b, _): stream += b + b + b
                case .pause: break
                case .hangUp: gone = true
                }
            }
            return replies
        }
        func ctl(_ spec: QMIMessageSpec, _ tlvs: [(UInt8, [UInt8])] = []) -> [QMIMessage] {
            ctlId += 1
            return ask(.request(service: .ctl, clientId: 0, transactionId: ctlId, messageId: spec.id, tlvs: tlvs))
        }
        _ = ctl(.ctlGetVersionInfo)
        for service in [QMIService.dms, .uim, .nas] {
            let allocated = ctl(.ctlAllocateCID, [(0x01, [service.id])]).last.flatMap { try? $0.tlvs()[0x01] }
            guard let allocated, allocated.count == 2 else { continue }
            for spec in reads[service] ?? [] {
                serviceId += 1
                _ = ask(.request(service: service, clientId: allocated[1], transactionId: serviceId, messageId: spec.id))
            }
            _ = ctl(.ctlReleaseCID, [(0x01, allocated)])
        }
        guard FileManager.default.createFile(atPath: "\(dir)/\(tag).bin", contents: Data(stream)) else {
            fatalError("cannot write a seed into \(dir)")
        }
    }
}
