using System.Text.Json;
using IvsServerless.Benchmarks;
using IvsServerless.Benchmarks.Projection;

// Each benchmark registers here; "all" runs every one in one process so ratios come from one run.
IBenchmark[] benchmarks =
[
    new ProjectionBenchmark(),
];

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: dotnet run -c Release --project test/IvsServerless.Benchmarks -- <name|all> [options]");
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"  {b.Name,-14} {b.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

var selected = args[0] == "all" ? benchmarks : benchmarks.Where(b => b.Name == args[0]).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; run with --help for the list");
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var results = new List<BenchmarkResult>();
foreach (var benchmark in selected)
{
    results.Add(await benchmark.RunAsync(args.Skip(1).ToArray(), cts.Token));
}

Console.WriteLine(JsonSerializer.Serialize(new
{
    machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, runtime = Environment.Version.ToString() },
    results,
}));
return results.All(r => r.TargetsMet) ? 0 : 1;
