import Testing
import TMDiagCore

/// How a device registered in no domain is summed up (`RegistrationState.unregistered`), the
/// rule a modem's `+CxREG` lines and a phone's registration infos share.
@Suite("The state of a device registered nowhere")
struct UnregisteredStateTests {
    func domains(_ states: RegistrationState...) -> [DomainRegistration] {
        states.enumerated().map { DomainRegistration(domain: ["cs", "ps", "eps", "5gs"][$0.offset], stat: 0, state: $0.element) }
    }

    @Test func deniedSaysMoreThanSearchingWhichSaysMoreThanIdle() {
        #expect(RegistrationState.unregistered(in: domains(.notRegistered, .searching, .denied)) == .denied)
        #expect(RegistrationState.unregistered(in: domains(.notRegistered, .searching)) == .searching)
        #expect(RegistrationState.unregistered(in: domains(.unknown, .notRegistered)) == .notRegistered)
    }

    @Test func domainsThatSayNothingLeaveItToTheCaller() {
        #expect(RegistrationState.unregistered(in: []) == nil)
        #expect(RegistrationState.unregistered(in: domains(.unknown, .unknown)) == nil)
    }
}
