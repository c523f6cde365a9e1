using System.Text.Json.Nodes;
using IvsServerless.Deployment.Events;

namespace IvsServerless.LocalBus.Tests;

public class IvsRulesTests
{
    private static readonly Dictionary<string, string> PatternByFolder = new()
    {
        ["stage-update"] = IvsRules.StageUpdate.Pattern,
        ["participant-recording-state-change"] = IvsRules.ParticipantRecordingStateChange.Pattern,
        ["composition-state-change"] = IvsRules.CompositionStateChange.Pattern,
    };

    public static TheoryData<string, string> Samples()
    {
        var data = new TheoryData<string, string>();
        foreach (var folder in PatternByFolder.Keys)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "events", folder), "*.json").Order())
            {
                data.Add(folder, Path.GetFileName(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Each_sample_matches_its_own_rule_and_no_other(string folder, string file)
    {
        var envelope = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", folder, file)));
        foreach (var (sampleFolder, pattern) in PatternByFolder)
        {
            Assert.Equal(sampleFolder == folder, EventPattern.Parse(pattern).Matches(envelope));
        }
    }

    [Fact]
    public void Every_sample_folder_has_samples() => Assert.True(Samples().Count >= 3 * 4);

    [Fact]
    public void A_wrong_source_matches_no_rule()
    {
        var envelope = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "events", "bad", "wrong-source.json")));
        Assert.All(IvsRules.All, rule => Assert.False(EventPattern.Parse(rule.Pattern).Matches(envelope)));
    }

    [Fact]
    public void All_lists_the_three_rules_once() =>
        Assert.Equal(
            [IvsRules.StageUpdate.Pattern, IvsRules.ParticipantRecordingStateChange.Pattern, IvsRules.CompositionStateChange.Pattern],
            IvsRules.All.Select(r => r.Pattern));
}
