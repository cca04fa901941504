import ArgumentParser
import Foundation
import Kit
import Modem
import TMDiagCore

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a modem error code in plain words.",
        discussion: """
        Tables: cme (3GPP TS 27.007), cms (TS 27.005), emm (TS 24.301), gmm/mm (TS 24.008), \
        esm/sm (session management), cc (call control).

        Examples: tmdiag explain "+CME ERROR: 10"; tmdiag explain cms 301; tmdiag explain emm 7; \
        tmdiag explain "+CEER: EMM cause 7"; tmdiag explain "SIM not inserted"

        Findings by subject, in the words the report uses: tmdiag explain apn; tmdiag explain \
        fcc-lock; tmdiag explain volte (also bands, pin, imei, firmware-config, retired, roaming, driver).
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The error, as the modem printed it or as `<table> <code>`.")
    var text: [String]

    func run() async throws {
        try await runReporting { try execute() }
    }

    func execute() throws -> ExitStatus {
        do {
            let data = DataSources()
            let input = text.joined(separator: " ")
            let subject = text.count == 1
                ? FindingSubjects.explain(input, rules: try data.rules(), carrier: (try? data.carrier())?.network) : nil
            let found = try subject ?? Explainer.explain(input, catalog: try data.catalog())
            if global.json {
                Console.outRaw(try encodeJSON(found.count == 1 ? AnyEncodable(found[0]) : AnyEncodable(found)))
            } else {
                Console.out(found.map(FactsRendering.explanation).joined(separator: "\n"))
            }
            return .ok
        }
    }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ v: any Encodable) { value = v }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
