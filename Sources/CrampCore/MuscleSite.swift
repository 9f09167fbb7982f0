// SPDX-License-Identifier: MIT

/// A muscle site that an EMG electrode sits on (DESIGN.md names).
public enum MuscleSite: String, CaseIterable, Hashable, Sendable {
    /// Gastrocnemius (calf).
    case gastroc
    /// Soleus (deep calf).
    case soleus
    /// Tibialis anterior (shin).
    case tibialis
    /// Hamstring (biceps femoris / semitendinosus).
    case hamstring
    /// Quadriceps (thigh).
    case quad

    /// True for the calf muscles, whose cramp relief is "toes to shin".
    public var isCalf: Bool { self == .gastroc || self == .soleus }
}

/// The side of the body.
public enum BodySide: String, CaseIterable, Hashable, Sendable {
    case left = "L"
    case right = "R"

    /// The other side.
    public var opposite: BodySide { self == .left ? .right : .left }
}
