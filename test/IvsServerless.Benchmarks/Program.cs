using System.Text.Json;
using IvsServerless.Benchmarks;
using IvsServerless.Benchmarks.ColdStart;
using IvsServerless.Benchmarks.HandlerOverhead;
using IvsServerless.Benchmarks.Live;
using IvsServerless.Benchmarks.Memory;
using IvsServerless.Benchmarks.Projection;
using IvsServerless.Benchmarks.Reconciliation;
using IvsServerless.Benchmarks.SelfSignedTokens;
using IvsServerless.Benchmarks.Support;
using IvsServerless.Benchmarks.Throughput;
using IvsServerless.Benchmarks.WarmLatency;

// Each benchmark registers here; "all" runs every one in one process so ratios come from one run.
IBenchmark[] benchmarks =
[
    new ColdStartBenchmark(),
    new WarmLatencyBenchmark(),
    new HandlerOverheadBenchmark(),
    new ThroughputBenchmark(),
    new MemoryBenchmark(),
    new ProjectionBenchmark(),
    new SelfSignedTokensBenchmark(),
    new LiveBenchmark(),
    new ReconcilerScaleBenchmark(),
];

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: dotnet run -c Release --project test/IvsServerless.Benchmarks -- <name|all> [options] [--out summary.json]");
    Console.WriteLine("       dotnet run -c Release --project test/IvsServerless.Benchmarks -- report <summary.json> [--out file.md]");
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"  {b.Name,-14} {b.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "report")
{
    return await ResultsReport.RunAsync(args.Skip(1).ToArray());
}

var selected = args[0] == "all" ? benchmarks : benchmarks.Where(b => b.Name == args[0]).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; run with --help for the list");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var machine = await MachineInfo.DescribeAsync();
if (machine.Configuration != "Release")
{
    Console.WriteLine("warning: a Debug build (and a Debug bootstrap.dll for the JIT variant); run with -c Release for real numbers");
}

var results = new List<BenchmarkResult>();
foreach (var benchmark in selected)
{
    results.Add(await benchmark.RunAsync(args.Skip(1).ToArray(), cts.Token));
}

// One object on the last line, so runs on different commits can be compared.
var summary = JsonSerializer.Serialize(new { machine, results });
Console.WriteLine(summary);
if (new BenchmarkArgs(args.Skip(1).ToArray()).Text("out") is { } outPath)
{
    await File.WriteAllTextAsync(outPath, summary + Environment.NewLine);
}

return results.All(r => r.TargetsMet) ? 0 : 1;
