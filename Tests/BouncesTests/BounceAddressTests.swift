import Bounces
import XCTest

final class BounceAddressTests: XCTestCase {
    let addresses = BounceAddress(base: "Bounces@Meiduo.test", secrets: ["a secret of the service that is long enough"])!

    func testAnAddressNamesItsJobAndVerifies() {
        let address = addresses.address(forJob: 42)
        XCTAssertTrue(address.hasPrefix("bounces+42-"), address)
        XCTAssertTrue(address.hasSuffix("@meiduo.test"), address)
        XCTAssertEqual(addresses.jobID(in: address), 42)
        XCTAssertEqual(addresses.jobID(in: address.uppercased()), 42, "mail systems may change a local part's case")
    }

    func testAlteredOrForeignAddressesDoNotVerify() {
        let address = addresses.address(forJob: 42)
        XCTAssertNil(addresses.jobID(in: address.replacingOccurrences(of: "+42-", with: "+43-")))
        XCTAssertNil(addresses.jobID(in: address.replacingOccurrences(of: "@meiduo.test", with: "@other.test")))
        XCTAssertNil(addresses.jobID(in: "bounces@meiduo.test"))
        XCTAssertNil(addresses.jobID(in: "bounces+42-0000000000000000@meiduo.test"))
        XCTAssertNil(addresses.jobID(in: "bounces+042-\(address.split(separator: "-")[1])"))
        XCTAssertNil(addresses.jobID(in: "postmaster@meiduo.test"))
        let other = BounceAddress(base: "bounces@meiduo.test", secrets: ["another secret, of another service entirely"])!
        XCTAssertNil(other.jobID(in: address))
    }

    func testAnOlderSecretStillVerifiesDuringARotation() {
        let rotated = BounceAddress(base: "bounces@meiduo.test", secrets: ["the new secret of the service, long enough", "a secret of the service that is long enough"])!
        XCTAssertEqual(rotated.jobID(in: addresses.address(forJob: 7)), 7)
        XCTAssertNotEqual(rotated.address(forJob: 7), addresses.address(forJob: 7))
    }

    func testABaseThatIsNotAnAddressIsRefused() {
        XCTAssertNil(BounceAddress(base: "bounces", secrets: ["x"]))
        XCTAssertNil(BounceAddress(base: "bounces+x@meiduo.test", secrets: ["x"]))
        XCTAssertNil(BounceAddress(base: "a b@meiduo.test", secrets: ["x"]))
    }
}

final class BounceClassTests: XCTestCase {
    func testOnlyPermanentFailuresAboutTheAddressAreHard() {
        for status in ["5.1.1", "5.1.10", "5.2.1", "5.2.2", "5.0.0", "5.4.4", "5.5.0"] {
            XCTAssertTrue(BounceClass.isHard(status: status), status)
        }
        for status in ["5.7.1", "5.7.26", "5.3.4", "5.6.0", "4.1.1", "4.4.7", "2.0.0", "", "5.1"] {
            XCTAssertFalse(BounceClass.isHard(status: status), status)
        }
    }
}
