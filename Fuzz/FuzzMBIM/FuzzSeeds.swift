import FakeModemKit
import Foundation
import MBIM

// The seeds: what the fake MBIM modem answers to tmdiag's own requests (OPEN, every Basic
// Connect query the client sends, CLOSE), one conversation per scenario, MBIMEx layout and
// misbehaviour, each a byte stream as a port would deliver it.

private let scenarios = ["healthy", "sim-absent", "pin-required", "puk-required", "denied", "roaming", "radio-off", "garbage"]
private let queries: [MBIMCommand] = [.deviceCaps, .subscriberReadyStatus, .radioState, .pin, .homeProvider,
                                      .registerState, .packetService, .signalState]

func writeSeeds(into dir: String) {
    var behaviours: [(String, FakeMBIMModem.Behaviour)] = []
    for name in scenarios {
        for layout in 1...3 {
            guard var b = FakeMBIMModem.scenario(name) else { continue }
            b.mbimex = layout
            behaviours.append(("\(name)-v\(layout)", b))
        }
    }
    func healthy(_ tag: String, _ change: (inout FakeMBIMModem.Behaviour) -> Void) {
        var b = FakeMBIMModem.scenario("healthy")!
        change(&b)
        behaviours.append((tag, b))
    }
    healthy("fragments-64") { $0.fragmentSize = 64 }
    healthy("fragments-64-v3") { $0.fragmentSize = 64; $0.mbimex = 3 }
    healthy("noise") { $0.noiseBeforeReply = 2 }
    healthy("lying-length") { $0.lyingLength = true }
    healthy("truncated") { $0.truncate = true }
    healthy("register-failure-with-buffer") { $0.registerFailureWithBuffer = true }
    healthy("fragment-flood") { $0.fragmentFlood = true }
    healthy("indication-flood") { $0.indicationFlood = true }
    healthy("closed") { $0.hangUpAfter = 4 }

    for (tag, behaviour) in behaviours {
        var fake = FakeMBIMModem(behaviour)
        var requests = [MBIMMessage.open(transactionId: 1, maxControlTransfer: 4096)]
        for (i, q) in queries.enumerated() {
            requests.append(.command(transactionId: UInt32(2 + i), service: q.service, cid: q.cid, type: .query))
        }
        requests.append(.close(transactionId: UInt32(2 + queries.count)))
        var stream: [UInt8] = []
        conversation: for r in requests {
            for output in fake.answer(r.bytes) {
                switch output {
                case .message(let b), .raw(let b): stream += b
                case .flood(let b, _): stream += b + b + b
                case .pause: break
                case .hangUp: break conversation
                }
            }
        }
        guard FileManager.default.createFile(atPath: "\(dir)/\(tag).bin", contents: Data(stream)) else {
            fatalError("cannot write a seed into \(dir)")
        }
    }
}
