// swift-tools-version:6.0
// InversionLab: how trained models leak what they were trained on, measured on real data.
import PackageDescription

let package = Package(
    name: "InversionLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "Fredrikson2015Faces", targets: ["Fredrikson2015Faces"]),
        .executable(name: "Fredrikson2014Warfarin", targets: ["Fredrikson2014Warfarin"]),
        .executable(name: "Shokri2017Membership", targets: ["Shokri2017Membership"]),
        .executable(name: "Benchmarks", targets: ["Benchmarks"]),
        // The libraries as one dynamic library, for notebook scripts (Scripts/notebook.sh).
        .library(name: "InversionLab", type: .dynamic, targets: ["MLCore", "Learning", "Datasets", "Privacy", "Reporting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // System libraries: apt packages wrapped as Swift modules.
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLAPACK", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng16",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // Libraries (arrows: experiments -> Privacy -> Learning -> MLCore; Datasets, Reporting -> MLCore).
        .target(name: "MLCore", dependencies: ["CBLAS", "CLAPACK"]),
        .target(name: "Learning", dependencies: ["MLCore"]),
        .target(name: "Datasets", dependencies: ["MLCore", "CZlib"], resources: [.copy("Checksums")]),
        .target(name: "Privacy", dependencies: ["Learning", "MLCore"]),
        .target(name: "Reporting", dependencies: ["MLCore", "CPNG"]),
        // What every experiment shares: common options, run header, all-or-nothing output, config, timings, claims.
        .target(
            name: "ExperimentKit",
            dependencies: [
                "MLCore", "Learning", "Datasets", "Reporting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Experiments and tools.
        .executableTarget(
            name: "Fredrikson2015Faces",
            dependencies: [
                "MLCore", "Learning", "Datasets", "Privacy", "Reporting", "ExperimentKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], exclude: ["README.md"]),
        .executableTarget(
            name: "Fredrikson2014Warfarin",
            dependencies: [
                "MLCore", "Learning", "Datasets", "Privacy", "Reporting", "ExperimentKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], exclude: ["README.md"]),
        .executableTarget(
            name: "Shokri2017Membership",
            dependencies: [
                "MLCore", "Learning", "Datasets", "Privacy", "Reporting", "ExperimentKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], exclude: ["README.md"]),
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "MLCore", "Learning", "Datasets", "Privacy", "Reporting", "ExperimentKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], exclude: ["README.md"]),

        // Tests.
        .testTarget(name: "MLCoreTests", dependencies: ["MLCore"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "MLCore"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "MLCore"]),
        .testTarget(name: "PrivacyTests", dependencies: ["Privacy", "Learning", "MLCore"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Datasets", "MLCore"]),
        .testTarget(name: "ExperimentKitTests", dependencies: ["ExperimentKit", "Reporting", "MLCore"]),
        .testTarget(name: "ExperimentTests", dependencies: ["Reporting"]),
    ],
    swiftLanguageModes: [.v5]
)
