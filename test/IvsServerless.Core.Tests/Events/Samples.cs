namespace IvsServerless.Core.Tests.Events;

/// <summary>The files of the repository's <c>events/</c> folder, copied next to the test assembly.</summary>
public static class Samples
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "events");

    /// <summary>Relative paths ("stage-update/participant-published.json") of one folder, as xunit theory data.</summary>
    public static TheoryData<string> In(params string[] folders) => new(Files(folders));

    public static string[] Files(params string[] folders) =>
        folders.SelectMany(f => Directory.EnumerateFiles(Path.Combine(Root, f), "*.json"))
            .Select(file => Path.GetRelativePath(Root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Root, relativePath));
}
