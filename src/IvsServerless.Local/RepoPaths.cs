namespace IvsServerless.Local;

/// <summary>Paths inside the repository, found from wherever the assembly was built to (tests, the local host).</summary>
public static class RepoPaths
{
    private const string Marker = "IvsServerless.sln";
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder that holds IvsServerless.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>A path under the repository root; parts may use '/' as the separator.</summary>
    public static string Combine(params string[] parts) =>
        Path.GetFullPath(Path.Combine([Root, .. parts.Select(p => p.Replace('/', Path.DirectorySeparatorChar))]));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No {Marker} found above {AppContext.BaseDirectory}; the local engines expect to run from a build inside the repository.");
    }
}
