using System.Text;
using System.Text.Json;

namespace IvsServerless.Benchmarks.Support;

/// <summary>
/// <c>report &lt;summary.json&gt; [--out file.md]</c>: renders the JSON summary of a run (what <c>--out</c> wrote) as
/// Markdown. The committed <c>results/README.md</c> is this rendering of the committed summary, and a test keeps them
/// equal, so the figures the docs link to cannot drift from the run they come from.
/// </summary>
public static class ResultsReport
{
    public const string Usage =
        "usage: dotnet run -c Release --project test/IvsServerless.Benchmarks -- report <summary.json> [--out file.md]";

    /// <summary>Runs the command; returns the exit code (2 for bad usage).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        string? outPath;
        try
        {
            outPath = new BenchmarkArgs([.. args.Skip(1)]).Text("out");
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Usage);
            return 2;
        }

        if (!File.Exists(args[0]))
        {
            await Console.Error.WriteLineAsync($"no such file: {args[0]}");
            return 2;
        }

        var markdown = Render(await File.ReadAllTextAsync(args[0]), Path.GetFileName(args[0]));
        if (outPath is null)
        {
            Console.Write(markdown);
        }
        else
        {
            await File.WriteAllTextAsync(outPath, markdown);
        }

        return 0;
    }

    /// <summary>The Markdown for one summary; <paramref name="sourceName"/> is the summary's file name, linked beside it.</summary>
    public static string Render(string summaryJson, string sourceName)
    {
        using var document = JsonDocument.Parse(summaryJson);
        var root = document.RootElement;
        var machine = root.GetProperty("machine");
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# Benchmark results");
        Line();
        Line($"<!-- Generated from {sourceName} by `dotnet run -c Release --project test/IvsServerless.Benchmarks -- report " +
             $"test/IvsServerless.Benchmarks/results/{sourceName} --out test/IvsServerless.Benchmarks/results/README.md`. " +
             "Do not edit: a test fails when this file differs from what the command renders. -->");
        Line();
        Line($"The figures of one run of `dotnet run -c Release --project test/IvsServerless.Benchmarks -- all --out <file>`, " +
             $"rendered from its JSON summary [`{sourceName}`]({sourceName}) (what the run printed: " +
             $"[`{Path.ChangeExtension(sourceName, ".txt")}`]({Path.ChangeExtension(sourceName, ".txt")})). " +
             "How each benchmark measures, what its targets are, and how to compare runs: " +
             "[docs/performance.md](../../../docs/performance.md).");
        Line();
        Line("## Machine");
        Line();
        Line("| property | value |");
        Line("| --- | --- |");
        foreach (var property in machine.EnumerateObject())
        {
            Line($"| {property.Name} | {Cell(property.Value)} |");
        }

        Line();
        Line("## Summary");
        Line();
        Line("| benchmark | targets met |");
        Line("| --- | --- |");
        foreach (var result in root.GetProperty("results").EnumerateArray())
        {
            Line(
                $"| [`{result.GetProperty("Name").GetString()}`](#{result.GetProperty("Name").GetString()}) | "
                + $"{(result.GetProperty("TargetsMet").GetBoolean() ? "yes" : "**no**")} |");
        }

        foreach (var result in root.GetProperty("results").EnumerateArray())
        {
            Line();
            Line($"## {result.GetProperty("Name").GetString()}");
            Line();
            foreach (var note in result.GetProperty("Notes").EnumerateArray())
            {
                Line($"- {Escape(note.GetString() ?? "")}");
            }

            MetricTables(result.GetProperty("Metrics"), Line);
        }

        return text.ToString();
    }

    /// <summary>
    /// Dotted metrics (<c>aot.median_ms</c>) as one table: a row per prefix, a column per last segment, in order of first
    /// appearance; plain ones (<c>errors</c>) as a name/value table.
    /// </summary>
    private static void MetricTables(JsonElement metrics, Action<string> line)
    {
        var rows = new List<string>();
        var columns = new List<string>();
        var cells = new Dictionary<(string Row, string Column), string>();
        var plain = new List<(string Name, string Value)>();
        foreach (var metric in metrics.EnumerateObject())
        {
            var dot = metric.Name.LastIndexOf('.');
            if (dot < 0)
            {
                plain.Add((metric.Name, Cell(metric.Value)));
                continue;
            }

            var (row, column) = (metric.Name[..dot], metric.Name[(dot + 1)..]);
            if (!rows.Contains(row))
            {
                rows.Add(row);
            }

            if (!columns.Contains(column))
            {
                columns.Add(column);
            }

            cells[(row, column)] = Cell(metric.Value);
        }

        if (rows.Count > 0)
        {
            line("");
            line($"| | {string.Join(" | ", columns)} |");
            line($"| --- |{string.Concat(columns.Select(_ => " ---: |"))}");
            foreach (var row in rows)
            {
                line($"| {row} | {string.Join(" | ", columns.Select(c => cells.GetValueOrDefault((row, c), "")))} |");
            }
        }

        if (plain.Count > 0)
        {
            line("");
            line("| metric | value |");
            line("| --- | ---: |");
            foreach (var (name, value) in plain)
            {
                line($"| {name} | {value} |");
            }
        }
    }

    /// <summary>A value as written in the summary: numbers keep their JSON text, so nothing is re-rounded.</summary>
    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Escape(value.GetString() ?? ""),
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
