extension RegistrationState {
    /// The overall state of a device registered in no domain: a refusal (denied) says the
    /// most, then a search, then idle (not registered); nil when no domain says any of these.
    /// A modem's `+CxREG` lines and a phone's registration infos are summed up by this one
    /// rule, so that a modem and a phone in the same state read the same in a report.
    public static func unregistered(in domains: [DomainRegistration]) -> RegistrationState? {
        for state in [RegistrationState.denied, .searching, .notRegistered] where domains.contains(where: { $0.state == state }) {
            return state
        }
        return nil
    }
}
