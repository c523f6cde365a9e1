namespace IvsServerless.IvsEmulator.Tests.Support;

/// <summary>
/// Where the repository is, found from the test assembly rather than the working directory (which differs between
/// <c>dotnet test</c>, IDEs and CI): the nearest folder above <see cref="AppContext.BaseDirectory"/> that holds
/// <see cref="SolutionFile"/>.
/// </summary>
public static class RepoPaths
{
    public const string SolutionFile = "IvsServerless.sln";

    private static readonly Lazy<string> LazyRoot = new(() => FindRoot(AppContext.BaseDirectory));

    /// <summary>The repository root (the folder that holds <see cref="SolutionFile"/>).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>A path below the repository root, e.g. <c>RepoPaths.Combine("test", "sdk-js")</c>.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>Walks up from <paramref name="start"/> to the first folder that holds <see cref="SolutionFile"/>.</summary>
    public static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above '{start}' contains {SolutionFile}; run the tests from inside the repository.");
    }
}
