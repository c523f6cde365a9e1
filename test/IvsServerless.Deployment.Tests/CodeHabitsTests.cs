using System.Text.RegularExpressions;

namespace IvsServerless.Deployment.Tests;

/// <summary>
/// Keeps the code habits of issue 12: every C# line under src/, test/ and cdk/ is at most 140 characters (the content of a
/// multi-line raw string literal is data and exempt), and no code calls ConfigureAwait (nothing here runs under a
/// SynchronizationContext). /work/tools/style-pass.sh fixes both.
/// </summary>
public sealed partial class CodeHabitsTests
{
    private const int MaxLineLength = 140;

    // Built from parts so that this file does not match itself.
    private static readonly string ConfigureAwaitCall = "Configure" + "Await(";

    [Fact]
    public void Lines_are_at_most_140_characters()
    {
        var problems = Lines()
            .Where(l => !l.InRawString && l.Text.Length > MaxLineLength)
            .Select(l => $"{l.Path}:{l.Number}: {l.Text.Length} characters")
            .ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} lines over {MaxLineLength} characters:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void No_code_calls_configure_await()
    {
        var problems = Lines()
            .Where(l => l.Text.Contains(ConfigureAwaitCall, StringComparison.Ordinal))
            .Select(l => $"{l.Path}:{l.Number}: {l.Text.Trim()}")
            .ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} ConfigureAwait calls:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void The_walk_sees_the_code()
    {
        Assert.Contains(SourceFiles(), f => f.EndsWith(nameof(CodeHabitsTests) + ".cs", StringComparison.Ordinal));
        Assert.True(SourceFiles().Count() > 100);
    }

    private sealed record Line(string Path, int Number, string Text, bool InRawString);

    private static IEnumerable<Line> Lines()
    {
        var root = RepoRoot();
        foreach (var file in SourceFiles())
        {
            var path = Path.GetRelativePath(root, file).Replace('\\', '/');
            var rawQuotes = 0; // > 0 inside a multi-line raw string literal opened with that many quotes
            var number = 0;
            foreach (var text in File.ReadLines(file))
            {
                number++;
                var runs = QuoteRuns().Matches(text).Select(m => m.Length).ToList();
                yield return new Line(path, number, text, rawQuotes > 0);
                if (rawQuotes > 0)
                {
                    if (runs.Any(r => r >= rawQuotes))
                    {
                        rawQuotes = 0;
                    }
                }
                else if (runs.Count % 2 == 1)
                {
                    rawQuotes = runs[^1];
                }
            }
        }
    }

    private static IEnumerable<string> SourceFiles()
    {
        var root = RepoRoot();
        return new[] { "src", "test", "cdk" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
                .Any(part => part is "bin" or "obj" or "node_modules"))
            .Order(StringComparer.Ordinal);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IvsServerless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("IvsServerless.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("\"{3,}")]
    private static partial Regex QuoteRuns();
}
