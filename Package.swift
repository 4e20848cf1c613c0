// swift-tools-version: 6.0
import PackageDescription

// Release builds of the numeric code skip exclusivity checks on the hot path; shape checks stay (they use fatalError).
let engineSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked", "-target-cpu", "skylake-avx512"], .when(configuration: .release)),
]

let package = Package(
    name: "swift-rlhf",
    products: [
        .library(name: "TensorEngine", targets: ["TensorEngine"]),
        .executable(name: "rlhf", targets: ["rlhf"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "TensorEngine", swiftSettings: engineSettings),
        .executableTarget(
            name: "rlhf",
            dependencies: [
                "TensorEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: engineSettings
        ),
        .testTarget(
            name: "TensorEngineTests",
            dependencies: ["TensorEngine"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
