using System.Text.RegularExpressions;
using IvsServerless.Local;

namespace IvsServerless.Client.Tests;

/// <summary>
/// The contract's <c>ProblemCode</c> enum (from which the client's typed error union is generated) lists exactly the
/// stable codes the API's code can answer: a new code in src/IvsServerless.Api fails here until openapi.yaml has it.
/// </summary>
public sealed partial class ProblemCodeTests
{
    [Fact]
    public void The_contract_lists_exactly_the_codes_the_api_produces()
    {
        var api = RepoPaths.Combine("src", "IvsServerless.Api");
        var produced = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(api, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var inErrors = Path.GetFileName(Path.GetDirectoryName(file)) == "Errors";
            foreach (Match match in (inErrors ? ErrorsCode() : ThrownCode()).Matches(text))
            {
                produced.Add(match.Groups["code"].Value);
            }
        }

        var documented = new SortedSet<string>(
            DocumentedCodes(File.ReadAllLines(Path.Combine(api, "openapi.yaml"))), StringComparer.Ordinal);

        Assert.True(produced.Count > 20, $"found only {produced.Count} codes in {api}: {string.Join(", ", produced)}");
        Assert.Equal(produced, documented);
    }

    /// <summary>The items of <c>components.schemas.ProblemCode.enum</c> (a block list, one code a line).</summary>
    private static IEnumerable<string> DocumentedCodes(string[] lines)
    {
        var start = Array.FindIndex(lines, l => l == "    ProblemCode:");
        Assert.True(start >= 0, "openapi.yaml has no components.schemas.ProblemCode");
        var inEnum = false;
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => l.StartsWith("      ", StringComparison.Ordinal)))
        {
            if (line == "      enum:")
            {
                inEnum = true;
            }
            else if (inEnum && line.StartsWith("        - ", StringComparison.Ordinal))
            {
                yield return line["        - ".Length..].Trim();
            }
            else if (!line.StartsWith("       ", StringComparison.Ordinal))
            {
                inEnum = false;
            }
        }
    }

    // Services throw `new XxxException("code", …)`; ProblemMapper maps with `Make(status, "code", …)`; the fixed codes
    // of Errors/ are passed to the base class, `ApiException(status, "code", …)`, or to `new("code", …)`. Calls may be
    // wrapped after any parenthesis or comma.
    private const string Thrown = """(?:Exception\(\s*(?:\d{3},\s*)?|Make\(\s*\d{3},\s*)"(?<code>[a-z][a-z-]*)"(?=[,)])""";

    [GeneratedRegex(Thrown)]
    private static partial Regex ThrownCode();

    [GeneratedRegex(Thrown + """|\bnew\(\s*"(?<code>[a-z][a-z-]*)",\s*"(?=[A-Z])""")]
    private static partial Regex ErrorsCode();
}
