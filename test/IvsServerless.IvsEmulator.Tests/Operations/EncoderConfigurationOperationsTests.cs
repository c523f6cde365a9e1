using System.Net;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

public sealed class EncoderConfigurationOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task CreateEncoderConfiguration_without_video_returns_the_documented_defaults()
    {
        var json = await Client.OkAsync("CreateEncoderConfiguration");

        var configuration = json.GetProperty("encoderConfiguration");
        Assert.Equal(["arn", "name", "tags", "video"], configuration.Members());
        Assert.Matches(
            "^arn:aws:ivs:us-east-1:123456789012:encoder-configuration/[a-zA-Z0-9]{12}$", configuration.GetProperty("arn").GetString());
        Assert.Equal("", configuration.GetProperty("name").GetString());
        Assert.Empty(configuration.GetProperty("tags").EnumerateObject());
        var video = configuration.GetProperty("video");
        Assert.Equal(["bitrate", "framerate", "height", "width"], video.Members());
        Assert.Equal(1280, video.GetProperty("width").GetInt32());
        Assert.Equal(720, video.GetProperty("height").GetInt32());
        Assert.Equal(30, video.GetProperty("framerate").GetDouble());
        Assert.Equal(2_500_000, video.GetProperty("bitrate").GetInt32());
    }

    [Fact]
    public async Task CreateEncoderConfiguration_keeps_given_values_and_fills_the_rest_and_GetEncoderConfiguration_returns_them()
    {
        var created = await Client.OkAsync("CreateEncoderConfiguration", new
        {
            name = "portrait_1080",
            video = new { width = 1080, height = 1920, framerate = 29.97 },
            tags = new { team = "video" },
        });
        var arn = created.GetProperty("encoderConfiguration").GetProperty("arn").GetString();

        var fetched = (await Client.OkAsync("GetEncoderConfiguration", new { arn })).GetProperty("encoderConfiguration");
        Assert.Equal(created.GetProperty("encoderConfiguration").ToString(), fetched.ToString());
        Assert.Equal("portrait_1080", fetched.GetProperty("name").GetString());
        Assert.Equal("video", fetched.GetProperty("tags").GetProperty("team").GetString());
        var video = fetched.GetProperty("video");
        Assert.Equal(1080, video.GetProperty("width").GetInt32());
        Assert.Equal(1920, video.GetProperty("height").GetInt32());
        Assert.Equal(29.97, video.GetProperty("framerate").GetDouble());
        Assert.Equal(2_500_000, video.GetProperty("bitrate").GetInt32());
    }

    [Theory]
    [InlineData("""{"video":{"width":1281}}""", "at 'video.width' failed to satisfy constraint: Member must be an even number")]
    [InlineData("""{"video":{"height":721}}""", "at 'video.height' failed to satisfy constraint: Member must be an even number")]
    [
        InlineData(
        """{"video":{"width":0}}""", "at 'video.width' failed to satisfy constraint: Member must have value greater than or equal to 2")]
    [
        InlineData(
        """{"video":{"width":1922}}""", "at 'video.width' failed to satisfy constraint: Member must have value less than or equal to 1920")]
    [
        InlineData(
        """{"video":{"height":1}}""", "at 'video.height' failed to satisfy constraint: Member must have value greater than or equal to 2")]
    [InlineData("""{"video":{"width":1920,"height":1920}}""", "Member width x height must be less than or equal to 2073600 pixels")]
    [InlineData("""{"video":{"width":1920,"height":1082}}""", "Member width x height must be less than or equal to 2073600 pixels")]
    [
        InlineData(
        """{"video":{"framerate":0.5}}""", "at 'video.framerate' failed to satisfy constraint: Member must have value between 1 and 60")]
    [
        InlineData(
        """{"video":{"framerate":60.5}}""", "at 'video.framerate' failed to satisfy constraint: Member must have value between 1 and 60")]
    [
        InlineData(
        """{"video":{"bitrate":0}}""",
        "at 'video.bitrate' failed to satisfy constraint: Member must have value greater than or equal to 1")]
    [
        InlineData(
        """{"video":{"bitrate":8500001}}""",
        "at 'video.bitrate' failed to satisfy constraint: Member must have value less than or equal to 8500000")]
    [InlineData("""{"name":"has space"}""", "at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [InlineData("""{"tags":{"":"v"}}""", "Member must have length greater than or equal to 1")]
    public async Task CreateEncoderConfiguration_rejects_constraint_violations(string body, string expected)
    {
        var before = await CountAsync();
        var response = await Client.SendRawAsync(HttpMethod.Post, "/CreateEncoderConfiguration", body);
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(expected, response.ExceptionMessage, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task CreateEncoderConfiguration_accepts_the_largest_sizes_in_either_orientation()
    {
        await Client.OkAsync(
            "CreateEncoderConfiguration", new { video = new { width = 1920, height = 1080, framerate = 60, bitrate = 8_500_000 } });
        await Client.OkAsync("CreateEncoderConfiguration", new { video = new { width = 1080, height = 1920, framerate = 1, bitrate = 1 } });
    }

    [Fact]
    public async Task CreateEncoderConfiguration_with_a_wrong_json_type_is_a_SerializationException()
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/CreateEncoderConfiguration", """{"video":{"width":"1280"}}""");
        response.AssertError(HttpStatusCode.BadRequest, "SerializationException");
    }

    [Fact]
    public async Task CreateEncoderConfiguration_beyond_the_quota_of_20_is_402()
    {
        await Resources.WithOwnEmulatorAsync(async own =>
        {
            var arns = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                arns.Add(await own.Client.CreateEncoderConfigurationAsync());
            }

            (await own.Client.CallAsync("CreateEncoderConfiguration")).AssertError((HttpStatusCode)402, "ServiceQuotaExceededException");

            await own.Client.OkAsync("DeleteEncoderConfiguration", new { arn = arns[0] });
            await own.Client.OkAsync("CreateEncoderConfiguration");
        });
    }

    [Theory]
    [InlineData("GetEncoderConfiguration")]
    [InlineData("DeleteEncoderConfiguration")]
    public async Task Get_and_Delete_validate_the_arn_and_answer_404_for_an_unknown_one(string operation)
    {
        (await Client.CallAsync(operation, new { })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task DeleteEncoderConfiguration_removes_it_everywhere()
    {
        var arn = await Client.CreateEncoderConfigurationAsync();

        Assert.Equal("{}", (await Client.CallAsync("DeleteEncoderConfiguration", new { arn })).Text);

        (await Client.CallAsync("GetEncoderConfiguration", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("DeleteEncoderConfiguration", new { arn })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.SendRawAsync(HttpMethod.Get, "/tags/" + Uri.EscapeDataString(arn))).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        Assert.DoesNotContain(arn, await ListArnsAsync());
    }

    [Fact]
    public async Task DeleteEncoderConfiguration_is_409_while_a_composition_uses_it_and_allowed_once_it_is_STOPPED()
    {
        var stageArn = await Client.CreateStageAsync();
        var encoderArn = await Client.CreateEncoderConfigurationAsync();
        var composition = await Client.StartS3CompositionAsync(stageArn, encoderArn);

        (await Client.CallAsync("DeleteEncoderConfiguration", new { arn = encoderArn })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");

        await Client.OkAsync("StopComposition", new { arn = composition.GetProperty("arn").GetString() });
        (await Client.CallAsync("DeleteEncoderConfiguration", new { arn = encoderArn })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");

        emulator.Advance(emulator.Emulator.Options.CompositionTransitionDelay);
        await Client.OkAsync("DeleteEncoderConfiguration", new { arn = encoderArn });
    }

    [Fact]
    public async Task ListEncoderConfigurations_returns_summaries_page_by_page()
    {
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await Client.CreateEncoderConfigurationAsync(new { name = $"ec{i}", tags = new { n = $"{i}" } }));
        }

        var first = await Client.OkAsync("ListEncoderConfigurations", new { maxResults = 1 });
        var summary = first.GetProperty("encoderConfigurations")[0];
        Assert.Equal(["arn", "name", "tags"], summary.Members());
        Assert.True(first.TryGetProperty("nextToken", out _));

        Assert.Superset(created.ToHashSet(), (await ListArnsAsync()).ToHashSet());
    }

    [Fact]
    public async Task ListEncoderConfigurations_rejects_bad_paging_input()
    {
        (await Client.CallAsync("ListEncoderConfigurations", new { maxResults = 0 })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListEncoderConfigurations", new { maxResults = 101 })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListEncoderConfigurations", new { nextToken = "!!" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
    }

    private async Task<List<string>> ListArnsAsync()
    {
        var arns = new List<string>();
        string? nextToken = null;
        do
        {
            var page = await Client.OkAsync("ListEncoderConfigurations", new { maxResults = 2, nextToken });
            arns.AddRange(page.GetProperty("encoderConfigurations").EnumerateArray().Select(e => e.GetProperty("arn").GetString()!));
            nextToken = page.TryGetProperty("nextToken", out var token) ? token.GetString() : null;
        }
        while (nextToken is not null);

        return arns;
    }

    private async Task<int> CountAsync() => (await ListArnsAsync()).Count;
}
