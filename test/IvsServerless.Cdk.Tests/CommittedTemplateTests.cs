using System.Text.RegularExpressions;
using IvsServerless.Cdk.Tests.Support;

namespace IvsServerless.Cdk.Tests;

/// <summary>
/// template/IvsServerless.template.json is what `npx cdk synth` gives with cdk.json's context, asset hashes replaced
/// by a placeholder. A change under cdk/ (or to what it reads: routes, table layout, rule patterns) that is not
/// regenerated fails here. Regenerate with:
/// <c>UPDATE_TEMPLATE=1 dotnet test test/IvsServerless.Cdk.Tests --filter CommittedTemplate</c>
/// </summary>
[Collection(CdkCollection.Name)]
public sealed partial class CommittedTemplateTests(SynthesizedStacks stacks)
{
    public static string CommittedPath => Path.Combine(Repository.Root, "template", "IvsServerless.template.json");

    /// <summary>Asset hashes (S3 keys, asset paths) depend on the bytes of the published executable, not on the stack.</summary>
    public static string Normalize(string template) => AssetHash().Replace(template.ReplaceLineEndings("\n"), "ASSET_HASH");

    [Fact]
    public void The_committed_template_is_the_synthesized_one()
    {
        var synthesized = Normalize(stacks.Default.Text);
        if (System.Environment.GetEnvironmentVariable("UPDATE_TEMPLATE") == "1")
        {
            File.WriteAllText(CommittedPath, synthesized);
        }

        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} is missing: regenerate it (see this class).");
        Assert.True(File.ReadAllText(CommittedPath).ReplaceLineEndings("\n") == synthesized,
            "template/IvsServerless.template.json is stale: UPDATE_TEMPLATE=1 dotnet test test/IvsServerless.Cdk.Tests --filter "
                + "CommittedTemplate");
    }

    [Fact]
    public void Normalizing_replaces_asset_hashes_and_keeps_everything_else()
    {
        var hash = new string('a', 32) + new string('0', 32);

        Assert.Equal("{\"S3Key\":\"ASSET_HASH.zip\",\"Name\":\"abc\"}", Normalize($"{{\"S3Key\":\"{hash}.zip\",\"Name\":\"abc\"}}"));
    }

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex AssetHash();
}
