import LinuxNet
import Testing

@Suite struct OwnedNamesTests {
    @Test func ownedNumbersDoNotCollide() {
        #expect(OwnedNames.captureMark != OwnedNames.bypassMark)
        #expect(OwnedNames.captureRouteTable != OwnedNames.tunRouteTable)
        #expect(OwnedNames.rulePriorities.contains(OwnedNames.capturePriority))
        // The kernel's own tables (local 255, main 254, default 253) are never ours.
        #expect(![253, 254, 255].contains(OwnedNames.captureRouteTable))
    }
}
