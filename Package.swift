// swift-tools-version: 6.0
// SPDX-License-Identifier: MIT
import PackageDescription

let package = Package(
    name: "crampd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "crampd", targets: ["crampd"]),
        .library(name: "CrampCore", targets: ["CrampCore"]),
    ],
    dependencies: [
        // CLI subcommands and option parsing (README: "Dependencies").
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Typed, throwing file descriptors for the streaming EDF/CSV adapters.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // Elementary functions (sin, exp, log) for the pure core without Foundation.
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        // TOML configuration files (toml++ underneath), with source positions for errors.
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Structured, level-filtered logging for the BLE adapter (trace hex dumps of every ATT PDU).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Single-precision FFTW 3 through pkg-config (Debian: libfftw3-dev).
        .systemLibrary(
            name: "CFFTW",
            pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"])]
        ),
        // Pure core: channel model, annotations, units, streaming DSP. No I/O, no clock, no
        // logging. CFFTW is allowed here because FFTW is a pure compute library: its plans are
        // made at design time (under a lock, see RealFFT.swift) and executing one only reads and
        // writes the buffers it was given.
        .target(
            name: "CrampCore",
            dependencies: ["CFFTW", .product(name: "RealModule", package: "swift-numerics")]
        ),
        // Pure, deterministic physiological simulator (seeded PRNG, sample-time only).
        .target(
            name: "CrampSimulator",
            dependencies: ["CrampCore", .product(name: "RealModule", package: "swift-numerics")]
        ),
        // Adapters at the edge: EDF+/BDF read and write, CSV read.
        .target(
            name: "CrampFiles",
            dependencies: [
                "CrampCore",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Sinks at the edge: stable JSON lines.
        .target(
            name: "CrampSinks",
            dependencies: [
                "CrampCore",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // Configuration at the edge: TOML files (relief playbook overrides, later the daemon's).
        .target(
            name: "CrampConfig",
            dependencies: ["CrampCore", "CrampBLE", "BLEWire", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // BlueZ's libbluetooth through pkg-config (Debian: libbluetooth-dev): raw HCI, L2CAP.
        .systemLibrary(
            name: "CBluetooth",
            pkgConfig: "bluez",
            providers: [.apt(["libbluetooth-dev"])]
        ),
        // Pure BLE byte codecs: ATT PDUs and GATT profile decoders. Bytes in, values out: no I/O,
        // no clock, no logging, no dependency.
        .target(name: "BLEWire"),
        // BLE adapter: the ATT bearer (BlueZ's strictness), the GATT client, the socket transports
        // and the raw notification capture format with its replay.
        .target(
            name: "CrampBLE",
            dependencies: ["BLEWire", "CrampCore", "CBluetooth", .product(name: "Logging", package: "swift-log")]
        ),
        // Simulated BLE sensors (Heart Rate, RSC, crampd's EMG profile, Myo) encoded with
        // BLEWire's encoders: the peripheral of the VM end-to-end test, and the in-process
        // peer of the session tests.
        .target(name: "CrampBLEPeripheral", dependencies: ["BLEWire", "CrampBLE"]),
        .executableTarget(
            name: "crampd",
            dependencies: [
                "CrampCore", "CrampFiles", "CrampSimulator", "CrampSinks", "CrampConfig", "CrampReport", "CrampBLE", "BLEWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A simulated sensor on a real controller: LE advertising over raw HCI, the ATT server
        // on an L2CAP socket, forced link drops (scripts/ble-vm/, `make test-ble`). Not shipped.
        .executableTarget(
            name: "crampd-ble-peripheral",
            dependencies: ["BLEWire", "CrampBLE", "CrampBLEPeripheral",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Prints the throughput of the per-window EMG feature stage, or with --pipeline of the
        // whole session feature pipeline (release build); not a test.
        .executableTarget(name: "crampd-dsp-throughput", dependencies: ["CrampCore"]),
        // Prints the throughput of the FIT decoder (release build); not a test.
        .executableTarget(
            name: "crampd-fit-throughput",
            dependencies: ["CrampFiles", .product(name: "SystemPackage", package: "swift-system")]
        ),
        // Session reports at the edge: one self-contained HTML page per session (inline SVG and
        // CSS), and the index of a set of reports. Pure string building, no I/O.
        .target(name: "CrampReport", dependencies: ["CrampCore"]),
        // Test support: counts the heap allocations of a thread (glibc malloc replacement).
        .target(name: "CAllocationCounter", path: "Tests/CAllocationCounter"),
        .testTarget(
            name: "CrampCoreTests",
            dependencies: ["CrampCore", "CAllocationCounter"],
            // Golden vectors from scripts/gen_dsp_vectors.py (SciPy).
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "CrampFilesTests",
            dependencies: ["CrampCore", "CrampFiles"]
        ),
        .testTarget(
            name: "CrampSimulatorTests",
            // crampd: the simulate command's file writing is tested here (byte-identical files).
            dependencies: ["CrampCore", "CrampSimulator", "CrampFiles", "crampd",
                           .product(name: "RealModule", package: "swift-numerics")]
        ),
        .testTarget(name: "CrampSinksTests", dependencies: ["CrampCore", "CrampSinks"]),
        .testTarget(name: "BLEWireTests", dependencies: ["BLEWire"]),
        .testTarget(
            name: "CrampBLETests",
            dependencies: ["BLEWire", "CrampBLE", "CrampBLEPeripheral", "CrampCore", "CrampFiles",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "SystemPackage", package: "swift-system")]
        ),
        .testTarget(name: "CrampConfigTests", dependencies: ["CrampCore", "CrampConfig", "CrampBLE"]),
        // Bursts, strides, signal quality and the session pipeline: synthetic signals, the real
        // EMG under Recordings/, ../shared/data when present, and `crampd features`.
        .testTarget(
            name: "CrampFeatureTests",
            dependencies: ["CrampCore", "CrampFiles", "crampd", "CAllocationCounter"]
        ),
        // The report renderer on hand-made reports; `crampd report` on the bundled recordings.
        .testTarget(name: "CrampReportTests", dependencies: ["CrampCore", "CrampReport", "CrampSinks", "crampd"]),
        // The cramp detector: golden replays of Recordings/ (Tests/Golden), behaviour on
        // simulated sessions with injected confounders, real cramp-free recordings (and
        // ../shared/data when present), replay and eval commands.
        .testTarget(
            name: "CrampDetectionTests",
            dependencies: ["CrampCore", "CrampFiles", "CrampSinks", "CrampSimulator", "CrampConfig", "crampd",
                           "CAllocationCounter"]
        ),
    ]
)
