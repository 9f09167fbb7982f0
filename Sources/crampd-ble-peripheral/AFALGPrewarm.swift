// SPDX-License-Identifier: MIT
#if canImport(Glibc)
import Glibc
#endif

/// Binds the two AF_ALG algorithms BlueZ's `btvirt` binds in `bt_crypto_new()` (ecb(aes) and
/// cmac(aes)) once, so that the kernel has instantiated them before btvirt starts. Under qemu's
/// TCG the first bind loads modules and runs cryptomgr for about 2 s, while the kernel waits
/// only 2 s for the HCI_Reset of the controller btvirt created first: that controller is lost
/// (shared/ble-lab/NOTES.md, pitfall 4). All the AF_ALG socket code of the project is here.
enum AFALGPrewarm {
    /// - Returns: the algorithms that could not be bound, with their errno.
    static func run() -> [(String, Int32)] {
        [("skcipher", "ecb(aes)"), ("hash", "cmac(aes)")].compactMap { type, name in
            bind(type: type, name: name).map { (name, $0) }
        }
    }

    /// `struct sockaddr_alg` (<linux/if_alg.h>): family (2), type[14], feat (4), mask (4),
    /// name[64]: 88 octets, written out because Glibc does not export the header.
    private static func bind(type: String, name: String) -> Int32? {
        let afALG: Int32 = 38
        let fd = socket(afALG, 5 /* SOCK_SEQPACKET */, 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var address = [UInt8](repeating: 0, count: 88)
        address[0] = UInt8(afALG & 0xFF)
        address[1] = UInt8(afALG >> 8)
        for (k, byte) in type.utf8.prefix(13).enumerated() { address[2 + k] = byte }
        for (k, byte) in name.utf8.prefix(63).enumerated() { address[24 + k] = byte }
        let rc = address.withUnsafeBytes { raw in
            Glibc.bind(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        return rc == 0 ? nil : errno
    }
}
