using System.Net;
using IvsServerless.IvsEmulator.Tests.Support;

namespace IvsServerless.IvsEmulator.Tests.Operations;

/// <summary>The quota is 5, so each test deletes what it creates.</summary>
public sealed class StorageConfigurationOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task CreateStorageConfiguration_returns_the_configuration_and_Get_and_List_agree()
    {
        var json = await Client.OkAsync("CreateStorageConfiguration", new
        {
            name = "recordings",
            s3 = new { bucketName = "my.recordings-bucket-01" },
            tags = new { env = "test" },
        });

        var configuration = json.GetProperty("storageConfiguration");
        Assert.Equal(["arn", "name", "s3", "tags"], configuration.Members());
        var arn = configuration.GetProperty("arn").GetString()!;
        Assert.Matches("^arn:aws:ivs:us-east-1:123456789012:storage-configuration/[a-zA-Z0-9]{12}$", arn);
        Assert.Equal("recordings", configuration.GetProperty("name").GetString());
        Assert.Equal(["bucketName"], configuration.GetProperty("s3").Members());
        Assert.Equal("my.recordings-bucket-01", configuration.GetProperty("s3").GetProperty("bucketName").GetString());
        Assert.Equal("test", configuration.GetProperty("tags").GetProperty("env").GetString());

        var fetched = await Client.OkAsync("GetStorageConfiguration", new { arn });
        Assert.Equal(configuration.ToString(), fetched.GetProperty("storageConfiguration").ToString());

        var listed = (await Client.OkAsync("ListStorageConfigurations")).GetProperty("storageConfigurations").EnumerateArray()
            .Single(s => s.GetProperty("arn").GetString() == arn);
        Assert.Equal(configuration.ToString(), listed.ToString());

        await Client.OkAsync("DeleteStorageConfiguration", new { arn });
    }

    [Theory]
    [InlineData("""{}""", "Value null at 's3' failed to satisfy constraint: Member must not be null")]
    [InlineData("""{"s3":{}}""", "Value null at 's3.bucketName' failed to satisfy constraint: Member must not be null")]
    [
        InlineData(
        """{"s3":{"bucketName":"ab"}}""",
        "at 's3.bucketName' failed to satisfy constraint: Member must have length greater than or equal to 3")]
    [
        InlineData(
        """{"s3":{"bucketName":"a234567890123456789012345678901234567890123456789012345678901234"}}""",
        "Member must have length less than or equal to 63")]
    [
        InlineData(
        """{"s3":{"bucketName":"My_Bucket"}}""",
        "at 's3.bucketName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z0-9-.]+")]
    [
        InlineData(
        """{"s3":{"bucketName":"bucket"},"name":"a/b"}""",
        "at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    public async Task CreateStorageConfiguration_rejects_constraint_violations(string body, string expected)
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/CreateStorageConfiguration", body);
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(expected, response.ExceptionMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateStorageConfiguration_beyond_the_quota_of_5_is_402()
    {
        await Resources.WithOwnEmulatorAsync(async own =>
        {
            var arns = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                arns.Add(await own.Client.CreateStorageConfigurationAsync($"bucket-{i}"));
            }

            (await own.Client.CallAsync("CreateStorageConfiguration", new { s3 = new { bucketName = "one-too-many" } }))
                .AssertError((HttpStatusCode)402, "ServiceQuotaExceededException");
            Assert.Equal(5, (await own.Client.OkAsync("ListStorageConfigurations")).GetProperty("storageConfigurations").GetArrayLength());

            await own.Client.OkAsync("DeleteStorageConfiguration", new { arn = arns[0] });
            await own.Client.CreateStorageConfigurationAsync("room-again");
        });
    }

    [Theory]
    [InlineData("GetStorageConfiguration")]
    [InlineData("DeleteStorageConfiguration")]
    public async Task Get_and_Delete_validate_the_arn_and_answer_404_for_an_unknown_one(string operation)
    {
        (await Client.CallAsync(operation, new { })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:encoder-configuration/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:storage-configuration/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task DeleteStorageConfiguration_removes_it_and_its_tags()
    {
        var arn = await Client.CreateStorageConfigurationAsync();

        Assert.Equal("{}", (await Client.CallAsync("DeleteStorageConfiguration", new { arn })).Text);

        (await Client.CallAsync("GetStorageConfiguration", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("DeleteStorageConfiguration", new { arn })).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.SendRawAsync(HttpMethod.Get, "/tags/" + Uri.EscapeDataString(arn))).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
        Assert.DoesNotContain((await Client.OkAsync("ListStorageConfigurations")).GetProperty("storageConfigurations").EnumerateArray(),
            s => s.GetProperty("arn").GetString() == arn);
    }

    [Fact]
    public async Task DeleteStorageConfiguration_is_409_while_a_composition_records_to_it_until_it_is_STOPPED()
    {
        var storageArn = await Client.CreateStorageConfigurationAsync();
        var stageArn = await Client.CreateStageAsync();
        var composition = await Client.StartS3CompositionAsync(stageArn, storageArn: storageArn);

        (await Client.CallAsync("DeleteStorageConfiguration", new { arn = storageArn })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");

        await Client.OkAsync("StopComposition", new { arn = composition.GetProperty("arn").GetString() });
        (await Client.CallAsync("DeleteStorageConfiguration", new { arn = storageArn })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");

        emulator.Advance(emulator.Emulator.Options.CompositionTransitionDelay);
        await Client.OkAsync("DeleteStorageConfiguration", new { arn = storageArn });
    }

    [Fact]
    public async Task DeleteStorageConfiguration_is_409_while_a_stage_records_participants_to_it()
    {
        var storageArn = await Client.CreateStorageConfigurationAsync();
        var stage = await Client.OkAsync(
            "CreateStage", new { autoParticipantRecordingConfiguration = new { storageConfigurationArn = storageArn } });
        var stageArn = stage.GetProperty("stage").GetProperty("arn").GetString();

        (await Client.CallAsync("DeleteStorageConfiguration", new { arn = storageArn })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");

        await Client.OkAsync(
            "UpdateStage", new { arn = stageArn, autoParticipantRecordingConfiguration = new { storageConfigurationArn = "" } });
        await Client.OkAsync("DeleteStorageConfiguration", new { arn = storageArn });
    }

    [Fact]
    public async Task ListStorageConfigurations_pages_and_rejects_bad_paging_input()
    {
        var created = new[] {
            await Client.CreateStorageConfigurationAsync("bucket-a"), await Client.CreateStorageConfigurationAsync("bucket-b") };

        var first = await Client.OkAsync("ListStorageConfigurations", new { maxResults = 1 });
        Assert.Equal(1, first.GetProperty("storageConfigurations").GetArrayLength());
        var second = await Client.OkAsync(
            "ListStorageConfigurations", new { maxResults = 1, nextToken = first.GetProperty("nextToken").GetString() });
        Assert.NotEqual(first.GetProperty("storageConfigurations")[0].GetProperty("arn").GetString(),
            second.GetProperty("storageConfigurations")[0].GetProperty("arn").GetString());

        (await Client.CallAsync("ListStorageConfigurations", new { maxResults = 0 })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListStorageConfigurations", new { maxResults = 101 })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync("ListStorageConfigurations", new { nextToken = "bm90IGEgdG9rZW4" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");

        foreach (var arn in created)
        {
            await Client.OkAsync("DeleteStorageConfiguration", new { arn });
        }
    }
}
