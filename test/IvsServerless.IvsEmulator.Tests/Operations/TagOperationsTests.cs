using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

public sealed class TagOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string UnknownStageArn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh";

    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task Tags_can_be_added_listed_and_removed_on_every_taggable_resource_type()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var stageArn = await Client.CreateStageAsync();
        var arns = new[]
        {
            stageArn,
            await Client.CreateEncoderConfigurationAsync(),
            await Client.AnyStorageConfigurationAsync(),
            await Client.CreateIngestConfigurationAsync(),
            Resources.Arn(
                await Client.OkAsync("ImportPublicKey", new { publicKeyMaterial = key.ExportSubjectPublicKeyInfoPem() }), "publicKey"),
            (await Client.StartS3CompositionAsync(stageArn)).GetProperty("arn").GetString()!,
        };

        foreach (var arn in arns)
        {
            Assert.Equal(
                "{}", (
                await TagAsync(arn, new { tags = new Dictionary<string, string> { ["team"] = "video", ["cost center"] = "42" } })).Text);
            Assert.Equal("{}", (await TagAsync(arn, new { tags = new { team = "live" } })).Text);
            Assert.Equal(new Dictionary<string, string> { ["cost center"] = "42", ["team"] = "live" }, await ListTagsAsync(arn));

            var untag = await Client.SendRawAsync(HttpMethod.Delete, $"{TagsPath(arn)}?tagKeys=cost%20center&tagKeys=absent");
            Assert.Equal(HttpStatusCode.OK, untag.Status);
            Assert.Equal("{}", untag.Text);
            Assert.Equal(new Dictionary<string, string> { ["team"] = "live" }, await ListTagsAsync(arn));
        }
    }

    [Fact]
    public async Task Tags_given_at_creation_are_listed_and_a_resource_without_tags_lists_an_empty_map()
    {
        var tagged = Resources.Arn(await Client.OkAsync("CreateStage", new { tags = new { env = "test" } }), "stage");
        var untagged = await Client.CreateStageAsync();

        Assert.Equal(new Dictionary<string, string> { ["env"] = "test" }, await ListTagsAsync(tagged));
        var empty = await Client.SendRawAsync(HttpMethod.Get, TagsPath(untagged));
        Assert.Equal("""{"tags":{}}""", empty.Text);
    }

    [Theory]
    [InlineData("not-an-arn")]
    [InlineData("arn:aws:ivs:us-east-1:123456789012:stage")]
    [InlineData("arn:aws:ivs:us-east-1:123456789012:Stage/abcdABCDefgh")]
    [InlineData("arn:aws:s3:us-east-1:123456789012:stage/abcdABCDefgh")]
    [InlineData("arn:aws:ivs:us-east-1:123456789012:stage/abcd_ABCDefgh")]
    public async Task A_malformed_arn_is_400_on_every_tag_operation(string arn)
    {
        (await Client.SendRawAsync(HttpMethod.Get, TagsPath(arn))).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await TagAsync(arn, new { tags = new { a = "b" } })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.SendRawAsync(HttpMethod.Delete, TagsPath(arn) + "?tagKeys=a")).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
    }

    [Fact]
    public async Task An_arn_longer_than_128_characters_is_400()
    {
        var arn = "arn:aws:ivs:us-east-1:123456789012:stage/" + new string('a', 100);
        var response = await Client.SendRawAsync(HttpMethod.Get, TagsPath(arn));
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(
            "at 'resourceArn' failed to satisfy constraint: Member must have length less than or equal to 128", response.ExceptionMessage,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_well_formed_arn_of_nothing_is_404_on_every_tag_operation()
    {
        (await Client.SendRawAsync(HttpMethod.Get, TagsPath(UnknownStageArn))).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await TagAsync(UnknownStageArn, new { tags = new { a = "b" } })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.SendRawAsync(HttpMethod.Delete, TagsPath(UnknownStageArn) + "?tagKeys=a")).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.SendRawAsync(HttpMethod.Get, TagsPath("arn:aws:ivs:us-east-1:123456789012:channel/abcdABCDefgh")))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task A_deleted_resource_has_no_tags_any_more()
    {
        var arn = Resources.Arn(await Client.OkAsync("CreateStage", new { tags = new { env = "test" } }), "stage");
        await Client.OkAsync("DeleteStage", new { arn });

        (await Client.SendRawAsync(HttpMethod.Get, TagsPath(arn))).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task TagResource_past_50_tags_in_total_is_400_and_changes_nothing()
    {
        var existing = Enumerable.Range(0, 45).ToDictionary(i => $"k{i}", i => $"v{i}");
        var arn = Resources.Arn(await Client.OkAsync("CreateStage", new { tags = existing }), "stage");

        // Overwriting existing keys does not count twice: 45 + 5 new = 50 is fine.
        await TagAsync(arn, new { tags = Enumerable.Range(40, 10).ToDictionary(i => $"k{i}", _ => "new") });
        var fifty = await ListTagsAsync(arn);
        Assert.Equal(50, fifty.Count);

        var response = await TagAsync(arn, new { tags = new Dictionary<string, string> { ["k0"] = "changed", ["one-more"] = "x" } });
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Equal(fifty, await ListTagsAsync(arn));
    }

    [Theory]
    [InlineData("""{}""", "Value null at 'tags' failed to satisfy constraint: Member must not be null")]
    [InlineData("""{"tags":{"":"v"}}""", "Member must have length greater than or equal to 1")]
    [
        InlineData(
        """{"tags":{"k":"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901"""
        + """2345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345"""
        + """678901234567890123456789"}}""", "Member must have length less than or equal to 256")]
    public async Task TagResource_rejects_missing_or_invalid_tags(string body, string expected)
    {
        var arn = await Client.CreateStageAsync();
        var response = await Client.SendRawAsync(HttpMethod.Post, TagsPath(arn), body);
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(expected, response.ExceptionMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagResource_rejects_long_keys_and_more_than_50_tags_in_one_request()
    {
        var arn = await Client.CreateStageAsync();
        (await TagAsync(arn, new { tags = new Dictionary<string, string> { [new string('k', 129)] = "v" } })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await TagAsync(arn, new { tags = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", _ => "v") })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        Assert.Empty(await ListTagsAsync(arn));
    }

    [Fact]
    public async Task UntagResource_requires_1_to_50_keys_of_1_to_128_characters()
    {
        var arn = Resources.Arn(await Client.OkAsync("CreateStage", new { tags = new { keep = "me" } }), "stage");

        var none = await Client.SendRawAsync(HttpMethod.Delete, TagsPath(arn));
        none.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(
            "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null", none.ExceptionMessage,
            StringComparison.Ordinal);

        var tooMany = string.Join('&', Enumerable.Range(0, 51).Select(i => $"tagKeys=k{i}"));
        (await Client.SendRawAsync(HttpMethod.Delete, $"{TagsPath(arn)}?{tooMany}")).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.SendRawAsync(HttpMethod.Delete, $"{TagsPath(arn)}?tagKeys=keep&tagKeys={new string('k', 129)}")).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.SendRawAsync(HttpMethod.Delete, $"{TagsPath(arn)}?tagKeys=keep&tagKeys=")).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");

        Assert.Equal(new Dictionary<string, string> { ["keep"] = "me" }, await ListTagsAsync(arn));
    }

    private static string TagsPath(string arn) => "/tags/" + Uri.EscapeDataString(arn);

    private Task<WireResponse> TagAsync(string arn, object body) =>
        Client.SendRawAsync(HttpMethod.Post, TagsPath(arn), JsonSerializer.Serialize(body));

    private async Task<Dictionary<string, string>> ListTagsAsync(string arn)
    {
        var response = await Client.SendRawAsync(HttpMethod.Get, TagsPath(arn));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["tags"], response.Json.Members());
        return response.Json.GetProperty("tags").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
