// SPDX-License-Identifier: MIT

/// The SIG-assigned numbers crampd uses (Bluetooth Assigned Numbers, sections 3.4 "GATT
/// Declarations", 3.4.3 "Services", 3.8 "Characteristics", 3.7 "Descriptors").
extension BluetoothUUID {
    // MARK: - GATT declarations
    /// «Primary Service».
    public static let primaryService = BluetoothUUID(0x2800)
    /// «Secondary Service».
    public static let secondaryService = BluetoothUUID(0x2801)
    /// «Include».
    public static let include = BluetoothUUID(0x2802)
    /// «Characteristic».
    public static let characteristic = BluetoothUUID(0x2803)

    // MARK: - Descriptors
    /// «Characteristic Extended Properties».
    public static let characteristicExtendedProperties = BluetoothUUID(0x2900)
    /// «Characteristic User Description».
    public static let characteristicUserDescription = BluetoothUUID(0x2901)
    /// «Client Characteristic Configuration».
    public static let clientCharacteristicConfiguration = BluetoothUUID(0x2902)

    // MARK: - Services
    public static let genericAccessService = BluetoothUUID(0x1800)
    public static let genericAttributeService = BluetoothUUID(0x1801)
    public static let deviceInformationService = BluetoothUUID(0x180A)
    public static let heartRateService = BluetoothUUID(0x180D)
    public static let batteryService = BluetoothUUID(0x180F)
    public static let runningSpeedAndCadenceService = BluetoothUUID(0x1814)

    // MARK: - Characteristics
    public static let deviceName = BluetoothUUID(0x2A00)
    public static let appearance = BluetoothUUID(0x2A01)
    public static let serviceChanged = BluetoothUUID(0x2A05)
    public static let batteryLevel = BluetoothUUID(0x2A19)
    public static let modelNumberString = BluetoothUUID(0x2A24)
    public static let firmwareRevisionString = BluetoothUUID(0x2A26)
    public static let manufacturerNameString = BluetoothUUID(0x2A29)
    public static let heartRateMeasurement = BluetoothUUID(0x2A37)
    public static let bodySensorLocation = BluetoothUUID(0x2A38)
    public static let heartRateControlPoint = BluetoothUUID(0x2A39)
    public static let rscMeasurement = BluetoothUUID(0x2A53)
    public static let rscFeature = BluetoothUUID(0x2A54)
}
