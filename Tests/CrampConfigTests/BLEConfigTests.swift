// SPDX-License-Identifier: MIT
import CrampBLE
import CrampConfig
import CrampCore
import Testing

@Suite struct BLEConfigTests {
    @Test func devicesAndSessionSettings() throws {
        let text = """
            # crampd.toml
            [ble]
            adapter = "hci1"
            reconnect_initial_seconds = 0.5
            reconnect_max_seconds = 20

            [[device]]
            address = "f0:13:c3:5a:7e:21"
            address_type = "random"
            kind = "hr"
            name = "chest strap"

            [[device]]
            address = "C8:4A:11:22:33:44"
            kind = ["rsc"]
            cadence = "one-foot"

            [[device]]
            address = "00:AA:01:00:00:00"
            kind = ["emg", "hr"]
            site = "gastroc"
            side = "l"
            channels = ["gastroc L", "soleus R"]
            """
        let c = try BLEConfig.parse(try TOMLDocument(text: text, path: "crampd.toml"))
        #expect(c.adapter == "hci1" && c.reconnect.initial == .milliseconds(500) && c.reconnect.maximum == .seconds(20))
        #expect(c.connectTimeout == .seconds(20) && c.reconnect.jitter == 0.1)
        #expect(c.devices.map(\.address) == ["F0:13:C3:5A:7E:21", "C8:4A:11:22:33:44", "00:AA:01:00:00:00"])
        #expect(c.devices[0].addressType == .random && c.devices[0].kinds == [.hr] && c.devices[0].label == "chest strap")
        #expect(c.devices[1].kinds == [.rsc] && c.devices[1].cadenceCounting == .oneFoot)
        #expect(c.devices[2].kinds == [.emg, .hr] && c.devices[2].emgSite == .gastroc && c.devices[2].emgSide == .left)
        #expect(c.devices[2].emgChannels == [.emg(.gastroc, .left), .emg(.soleus, .right)])
        #expect(c.devices[2].cadenceCounting == .twoFoot)
    }

    @Test func noDevicesIsNoError() throws {
        #expect(try BLEConfig.parse(try TOMLDocument(text: "[advice]\nhydration = \"x\"\n", path: "a.toml")).devices.isEmpty)
    }

    static let good = "[[device]]\naddress = \"00:AA:01:00:00:00\"\nkind = \"hr\"\n"

    @Test(arguments: [
        (good + "\n[[device]]\naddress = \"00:AA:01:00:00:01\"\nkidn = \"hr\"\n", 7, "device[2].kidn", "unknown key"),
        ("[[device]]\nkind = \"hr\"\n", 1, "device[1]", "missing key 'address'"),
        ("[[device]]\naddress = \"00:AA:01\"\nkind = \"hr\"\n", 2, "device[1].address", "expected an address"),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\n", 1, "device[1]", "missing key 'kind'"),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\nkind = \"hrm\"\n", 3, "device[1].kind", "expected one of \"hr\", \"rsc\", \"emg\", \"myo\", found \"hrm\""),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\nkind = []\n", 3, "device[1].kind", "at least one"),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\nkind = 3\n", 3, "device[1].kind", "a string or a list"),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\naddress_type = \"static\"\nkind = \"hr\"\n", 3,
         "device[1].address_type", "\"public\" or \"random\""),
        (good + "cadence = \"one-foot\"\n", 4, "device[1].cadence", "footpods"),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\nkind = \"rsc\"\ncadence = \"both\"\n", 4, "device[1].cadence", "\"two-foot\" or \"one-foot\""),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\nkind = \"emg\"\nsite = \"calf\"\n", 4, "device[1].site", "gastroc, soleus"),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\nkind = \"myo\"\nside = \"X\"\n", 4, "device[1].side", "\"L\" or \"R\""),
        ("[[device]]\naddress = \"00:AA:01:00:00:00\"\nkind = \"emg\"\nchannels = [\"gastroc\"]\n", 4, "device[1].channels", "<site> <side>"),
        (good + "\n[[device]]\naddress = \"00:aa:01:00:00:00\"\nkind = \"rsc\"\n", 6, "device[2].address", "already device[1]"),
        ("[ble]\nreconnect_max_seconds = 0\n", 2, "ble.reconnect_max_seconds", "seconds > 0"),
        ("[ble]\nreconnect_initial_seconds = 10\nreconnect_max_seconds = 5\n", 3, "ble.reconnect_max_seconds", "not be below"),
        ("[ble]\nreconnect_jitter = 2\n", 2, "ble.reconnect_jitter", "fraction"),
        ("[ble]\nadaptor = \"hci0\"\n", 2, "ble.adaptor", "unknown key"),
        ("device = 3\n", 1, "device", "[[device]] tables"),
    ])
    func badKeysNameFileLineAndKey(text: String, line: Int, key: String, what: String) throws {
        let doc = try TOMLDocument(text: text, path: "bad.toml")
        #expect {
            _ = try BLEConfig.parse(doc)
        } throws: { error in
            guard let e = error as? ConfigError else { return false }
            let ok = e.path == "bad.toml" && e.line == line && e.key == key && e.what.contains(what)
                && e.description.hasPrefix("crampd: bad.toml: line \(line): key '\(key)': ")
            if !ok { Issue.record("\(e)") }
            return ok
        }
    }
}
