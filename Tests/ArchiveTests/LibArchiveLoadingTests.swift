@testable import Archive
import Testing

/// libarchive is loaded when a tar stream is first read, not linked.
@Suite struct LibArchiveLoadingTests {
    @Test func aLibraryThatCannotBeLoadedIsATypedErrorNamingThePackage() {
        #expect {
            _ = try LibArchive(soname: "libarchive.so.0-not-installed")
        } throws: { error in
            guard let error = error as? ArchiveError else { return false }
            return error.code == .libarchiveFailure && error.description.contains("libarchive13")
                && error.description.contains("libarchive.so.0-not-installed")
        }
    }

    @Test func theInstalledLibraryProvidesEveryFunctionTheReaderCalls() throws {
        let library = try LibArchive.loaded.get()
        let archive = try #require(library.readNew())
        #expect(library.readSupportFormatTar(archive) == 0)  // ARCHIVE_OK
        #expect(library.readFree(archive) == 0)
    }
}
