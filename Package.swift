// swift-tools-version: 6.1
import PackageDescription

// The layers of ../shared/design.md, one target each. The CLI target only parses arguments;
// everything it does lives in Kit and below.
let package = Package(
    name: "tmdiag",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tmdiag", targets: ["tmdiag"]),
        .executable(name: "fakemodem-bed", targets: ["FakeModemBed"]),
        .executable(name: "history-bench", targets: ["HistoryBench"]),
    ],
    // The shared PostgreSQL store (postgres-nio, and with it SwiftNIO and BoringSSL). On by
    // default; `--disable-default-traits` builds without it, which `make test-tsan` does so
    // that ThreadSanitizer does not compile those a third time (the first pass tests them).
    traits: [
        .default(enabledTraits: ["PostgreSQL"]),
        .trait(name: "PostgreSQL", description: "History stores on a PostgreSQL server (postgresql:// URLs)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // The shared PostgreSQL history store (issue 16).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CUDev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),

        // The one model that flows through every layer, plus masking and escaping.
        .target(name: "TMDiagCore", dependencies: [.product(name: "SystemPackage", package: "swift-system")],
                plugins: ["StampVersion"]),
        .target(name: "Discovery", dependencies: ["CUDev", "CLibUSB", "TMDiagCore"]),
        .target(name: "Modem", dependencies: ["TMDiagCore", .product(name: "SystemPackage", package: "swift-system")]),
        // Native read-only MBIM and QMI clients (cdc-wdm and wwan ports, mbim-proxy, qmi-proxy).
        .target(name: "MBIM", dependencies: ["TMDiagCore"]),
        .target(name: "QMI", dependencies: ["TMDiagCore"]),
        .target(name: "Profiles", dependencies: ["TMDiagCore", "Modem", "EmbeddedProfiles", .product(name: "Yams", package: "Yams")]),
        // Profiles/**/*.yaml compiled into the binary (generated in the build directory).
        .target(name: "EmbeddedProfiles", plugins: ["EmbedProfiles"]),
        .target(name: "History", dependencies: ["TMDiagCore", .product(name: "GRDB", package: "GRDB.swift"),
                                               .product(name: "PostgresNIO", package: "postgres-nio",
                                                        condition: .when(traits: ["PostgreSQL"]))]),
        .target(name: "Ticket", dependencies: ["TMDiagCore", "Profiles", "History",
                                              .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(name: "Kit", dependencies: ["TMDiagCore", "Discovery", "Modem", "MBIM", "QMI", "Profiles", "History", "Ticket",
                                           .product(name: "Subprocess", package: "swift-subprocess"),
                                           .product(name: "SystemPackage", package: "swift-system")]),
        .executableTarget(name: "tmdiag", dependencies: ["Kit", "TMDiagCore", "Modem", "History", "Ticket",
                                                   .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                                   .product(name: "SystemPackage", package: "swift-system")]),

        // Build-time generators: the embedded profiles, the version and commit.
        .plugin(name: "EmbedProfiles", capability: .buildTool(), dependencies: ["ProfileEmbedder"]),
        .executableTarget(name: "ProfileEmbedder", path: "Plugins/Tools/ProfileEmbedder"),
        .plugin(name: "StampVersion", capability: .buildTool(), dependencies: ["VersionStamper"]),
        .executableTarget(name: "VersionStamper", path: "Plugins/Tools/VersionStamper"),

        // Benchmarks/history/run.sh: 1,000,000 events, import and lookup latency.
        .executableTarget(name: "HistoryBench", dependencies: ["History", "TMDiagCore"], path: "Benchmarks/history/HistoryBench"),

        .testTarget(name: "CoreTests", dependencies: ["TMDiagCore"]),
        // Test support: one fake modem for pseudo-terminals and for umockdev-emulated ports.
        .target(name: "FakeModemKit", path: "Tests/Support/FakeModemKit"),
        .target(name: "TestSupport", dependencies: [.product(name: "Subprocess", package: "swift-subprocess"),
                                                   .product(name: "SystemPackage", package: "swift-system")],
                path: "Tests/Support/TestSupport"),
        .systemLibrary(name: "CUMockdev", path: "Tests/Support/CUMockdev", pkgConfig: "umockdev-1.0",
                       providers: [.apt(["libumockdev-dev"])]),
        // `fakemodem-bed`: runs a command against umockdev-emulated devices with fake modems
        // answering behind their AT ports (end-to-end tests, `make demo`, benchmarks).
        .executableTarget(name: "FakeModemBed", dependencies: ["FakeModemKit", "CUMockdev"], path: "Tests/Support/FakeModemBed"),
        .testTarget(name: "ModemTests", dependencies: ["Modem", "Profiles", "Kit", "TMDiagCore", "FakeModemKit"]),
        .testTarget(name: "DiscoveryTests", dependencies: ["Discovery", "Profiles", "Kit", "TestSupport"]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "TMDiagCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TicketTests", dependencies: ["Ticket", "Kit", "History", "Profiles", "TMDiagCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TMDiagCore", "TestSupport"]),
        .testTarget(name: "WWANProtocolTests", dependencies: ["MBIM", "QMI", "TMDiagCore", "FakeModemKit", "TestSupport"]),
        .testTarget(name: "PackagingTests", dependencies: ["EmbeddedProfiles", "Profiles", "Kit", "TMDiagCore", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// `make fuzz`: libFuzzer targets, one per parser (Fuzz/README.md). Declared only when
// TMDIAG_FUZZ is set: they link only with `-sanitize=fuzzer`, which the normal build lacks.
if Context.environment["TMDIAG_FUZZ"] != nil {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzATReplies", ["Kit", "Modem"]),
        ("FuzzDecoder", ["Kit", "Modem"]),
        ("FuzzProfiles", ["Profiles"]),
        ("FuzzHistoryJSON", ["History", "TMDiagCore"]),
        ("FuzzHistoryCSV", ["History", "TMDiagCore"]),
        ("FuzzShow", ["Kit", "History", "TMDiagCore"]),
        ("FuzzMBIM", ["MBIM", "TMDiagCore", "FakeModemKit"]),
        ("FuzzQMI", ["QMI", "TMDiagCore", "FakeModemKit"]),
    ]
    package.targets.append(.systemLibrary(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: name, dependencies: dependencies + ["CFuzzerDriver"], path: "Fuzz/\(name)"))
    }
}
