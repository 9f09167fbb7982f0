// SPDX-License-Identifier: MIT

/// What a cadence value counts: every foot strike, or every stride (one foot).
///
/// A running stride is two steps. Sources differ: FIT files store running cadence as strides
/// per minute (`record.cadence`, with `fractional_cadence` adding fractions; steps/min =
/// 2 × (cadence + fractional_cadence)); Bluetooth RSC foot pods (0x2A53) are usually read as
/// steps per minute; some pods and apps report strides. When unsure, use
/// `CadenceUnitSetting.auto`.
public enum CadenceUnit: String, CaseIterable, Hashable, Sendable {
    /// Steps (foot strikes of both feet) per minute.
    case stepsPerMinute
    /// Strides (foot strikes of one foot) per minute: steps/min = 2 × strides/min.
    case stridesPerMinute

    /// Steps per counted event: 1 or 2.
    public var stepsPerCount: Double { self == .stepsPerMinute ? 1 : 2 }
}

/// How raw cadence values are to be read (`CadenceNormalisation`).
public enum CadenceUnitSetting: String, CaseIterable, Hashable, Sendable {
    /// The source reports steps per minute.
    case stepsPerMinute
    /// The source reports strides per minute (FIT files, some pods).
    case stridesPerMinute
    /// Unknown: decide from which reading is physiologically plausible.
    case auto
}
