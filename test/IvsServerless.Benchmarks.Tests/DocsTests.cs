using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IvsServerless.Benchmarks.ColdStart;
using IvsServerless.Benchmarks.HandlerOverhead;
using IvsServerless.Benchmarks.Live;
using IvsServerless.Benchmarks.Memory;
using IvsServerless.Benchmarks.Projection;
using IvsServerless.Benchmarks.Reconciliation;
using IvsServerless.Benchmarks.SelfSignedTokens;
using IvsServerless.Benchmarks.Throughput;
using IvsServerless.Benchmarks.WarmLatency;
using IvsServerless.Local;

namespace IvsServerless.Benchmarks.Tests;

/// <summary>
/// The docs stay short and connected: the top-level README fits in 8 KB, every relative link in the Markdown files
/// resolves (file, and heading when it names one), and docs/performance.md describes every benchmark with the targets
/// the code checks. (Here beside the results test: both keep documentation from drifting away from the code.)
/// </summary>
public sealed partial class DocsTests
{
    [Fact]
    public void The_readme_is_at_most_8_KB()
    {
        var bytes = new FileInfo(RepoPaths.Combine("README.md")).Length;

        Assert.True(bytes <= 8192, $"README.md is {bytes} bytes; it must stay ≤ 8,192. Move detail to docs/ and link to it.");
    }

    public static TheoryData<string> MarkdownFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Root, "*.md", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
                     .Where(f => !f.Split('/').Any(part => part is "node_modules" or "bin" or "obj" or "artifacts" || part.StartsWith('.')))
                     .Order(StringComparer.Ordinal))
        {
            files.Add(file);
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_relative_link_resolves(string file)
    {
        var path = RepoPaths.Combine(file);
        var broken = new List<string>();
        foreach (Match link in MarkdownLink().Matches(WithoutCode(File.ReadAllText(path))))
        {
            var target = link.Groups["target"].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var (relative, anchor) = hash < 0 ? (target, null) : (target[..hash], target[(hash + 1)..]);
            var resolved = relative.Length == 0 ? path : Path.GetFullPath(
                Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(relative)));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target} (no such file)");
            }
            else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(anchor))
            {
                broken.Add($"{target} (no such heading)");
            }
        }

        Assert.True(broken.Count == 0, $"{file}: broken links: {string.Join(", ", broken)}");
    }

    [Fact]
    public void The_performance_doc_describes_every_benchmark_and_the_targets_the_code_checks()
    {
        var doc = File.ReadAllText(RepoPaths.Combine("docs", "performance.md"));
        IBenchmark[] benchmarks =
        [
            new ColdStartBenchmark(), new WarmLatencyBenchmark(), new HandlerOverheadBenchmark(), new ThroughputBenchmark(),
            new MemoryBenchmark(), new ProjectionBenchmark(), new SelfSignedTokensBenchmark(), new LiveBenchmark(),
            new ReconcilerScaleBenchmark(),
        ];
        string[] targets =
        [
            $"≥ {ColdStartBenchmark.TargetSpeedup.ToString(CultureInfo.InvariantCulture)}x",
            $"≤ {WarmLatencyBenchmark.TargetMintP99Milliseconds.ToString(CultureInfo.InvariantCulture)} ms",
            $"≤ {MemoryBenchmark.TargetPeakMegabytes.ToString(CultureInfo.InvariantCulture)} MB",
            $"≥ {ProjectionBenchmark.TargetEventsPerSecond.ToString("N0", CultureInfo.InvariantCulture)} events/s",
            $"≥ {Math.Round(SelfSignedTokensBenchmark.Target * 100).ToString(CultureInfo.InvariantCulture)} %",
            $"p99 ≤ {LiveBenchmark.TargetP99Ms.ToString(CultureInfo.InvariantCulture)} ms",
            $"≤ {LiveBenchmark.TargetFanoutMs.ToString("N0", CultureInfo.InvariantCulture)} ms",
            $"a pass ≤ {ReconcilerScaleBenchmark.TargetPassTime.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes",
            $"≤ {Math.Round(ReconcilerScaleBenchmark.TargetSteadyLookupShare * 100).ToString(CultureInfo.InvariantCulture)} % of "
                + "publishers",
        ];

        Assert.All(benchmarks, b => Assert.Contains($"`{b.Name}`", doc, StringComparison.Ordinal));
        Assert.All(targets, t => Assert.Contains(t, doc, StringComparison.Ordinal));
    }

    /// <summary>GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped, spaces to '-'.</summary>
    private static HashSet<string> Anchors(string markdownFile)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match heading in Heading().Matches(WithoutCode(File.ReadAllText(markdownFile))))
        {
            var slug = new StringBuilder();
            foreach (var c in heading.Groups["text"].Value.Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            anchors.Add(slug.ToString());
        }

        return anchors;
    }

    /// <summary>The text without fenced code blocks, where brackets and '#' lines are code, not links or headings.</summary>
    private static string WithoutCode(string markdown) => FencedCode().Replace(markdown, "");

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^(```|~~~).*?^\1", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();
}
