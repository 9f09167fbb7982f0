// SPDX-License-Identifier: MIT

/// What happened in a session, given at its end, with prevention for next time.
public struct SessionSummary: Hashable, Sendable {
    /// One cramp as the detector saw it.
    public struct Cramp: Hashable, Sendable {
        public var site: MuscleSite
        public var side: BodySide
        public var onsetSeconds: Double
        /// When the `clear` came, if it did before the end.
        public var endSeconds: Double?

        public init(site: MuscleSite, side: BodySide, onsetSeconds: Double, endSeconds: Double?) {
            self.site = site
            self.side = side
            self.onsetSeconds = onsetSeconds
            self.endSeconds = endSeconds
        }
    }

    /// Highest risk reached per muscle and side.
    public struct PeakRisk: Hashable, Sendable {
        public var site: MuscleSite
        public var side: BodySide
        public var risk: Double

        public init(site: MuscleSite, side: BodySide, risk: Double) {
            self.site = site
            self.side = side
            self.risk = risk
        }
    }

    public var durationSeconds: Double
    /// The channels the session had (labels), so a reader knows what could be seen.
    public var channels: [String]
    public var cramps: [Cramp]
    public var warnings: Int
    public var watches: Int
    public var sensorFaults: Int
    public var peakRisks: [PeakRisk]
    /// A sentence or two: what happened.
    public var message: String
    /// Prevention for next time (from the playbook).
    public var prevention: [String]

    public init(durationSeconds: Double, channels: [String], cramps: [Cramp], warnings: Int, watches: Int,
                sensorFaults: Int, peakRisks: [PeakRisk], message: String, prevention: [String]) {
        self.durationSeconds = durationSeconds
        self.channels = channels
        self.cramps = cramps
        self.warnings = warnings
        self.watches = watches
        self.sensorFaults = sensorFaults
        self.peakRisks = peakRisks
        self.message = message
        self.prevention = prevention
    }
}
