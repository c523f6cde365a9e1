using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using IvsServerless.Core.TokenSigning;
using IvsServerless.Infrastructure.TokenSigning;
using IvsServerless.Testing;

namespace IvsServerless.Infrastructure.Tests;

/// <summary>
/// SSM has no local engine: the adapter talks to <see cref="FakeParameterStore"/>, and the tests check the wire requests
/// the AWS SDK sends (JSON 1.1 protocol, X-Amz-Target, SigV4) and how answers and errors come back.
/// </summary>
public sealed class SsmTokenSigningKeyStoreTests
{
    private const string Parameter = "/ivs-serverless/tests/token-signing-key";
    private const string KmsKey = "alias/ivs-serverless-tests";
    private const string KeyArn = "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234";

    [Fact]
    public async Task Put_writes_a_KMS_encrypted_SecureString_with_overwrite_and_get_decrypts_it_back()
    {
        await using var ssm = FakeParameterStore.Start();
        var store = Store(ssm, KmsKey);
        var pkcs8 = GeneratedSigningKeyPair.Create().Pkcs8PrivateKey;
        var activatedAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

        await store.PutAsync(new TokenSigningKey(KeyArn, pkcs8, activatedAt), CancellationToken.None);
        await store.PutAsync(new TokenSigningKey(KeyArn, pkcs8, activatedAt), CancellationToken.None);
        var read = await store.GetAsync(CancellationToken.None);

        var put = ssm.Requests[0];
        Assert.Equal("AmazonSSM.PutParameter", put.Target);
        Assert.Equal("application/x-amz-json-1.1", put.ContentType);
        Assert.StartsWith("AWS4-HMAC-SHA256", put.Authorization, StringComparison.Ordinal);
        Assert.Equal(Parameter, put.Json.GetProperty("Name").GetString());
        Assert.Equal("SecureString", put.Json.GetProperty("Type").GetString());
        Assert.Equal(KmsKey, put.Json.GetProperty("KeyId").GetString());
        Assert.True(put.Json.GetProperty("Overwrite").GetBoolean());

        var get = ssm.Requests[2];
        Assert.Equal("AmazonSSM.GetParameter", get.Target);
        Assert.Equal(Parameter, get.Json.GetProperty("Name").GetString());
        Assert.True(get.Json.GetProperty("WithDecryption").GetBoolean());
        Assert.Equal(KeyArn, read!.KeyArn);
        Assert.Equal(activatedAt, read.ActivatedAt);
        Assert.True(read.Pkcs8PrivateKey.SequenceEqual(pkcs8));
    }

    [Fact]
    public async Task Missing_parameter_reads_as_no_key_and_deletes_as_done()
    {
        await using var ssm = FakeParameterStore.Start();
        var store = Store(ssm, KmsKey);

        Assert.Null(await store.GetAsync(CancellationToken.None));
        await store.DeleteAsync(CancellationToken.None);

        Assert.Equal(["AmazonSSM.GetParameter", "AmazonSSM.DeleteParameter"], ssm.Requests.Select(r => r.Target));
        Assert.Equal(Parameter, ssm.Requests[1].Json.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task A_value_that_is_not_a_key_document_fails_without_quoting_the_value()
    {
        await using var ssm = FakeParameterStore.Start();
        var store = Store(ssm, KmsKey);
        const string Secret = "c2VjcmV0LWJ5dGVzLXRoYXQtbXVzdC1ub3QtbGVhaw==";
        ssm.Set(Parameter, "{\"keyArn\":\"x\",\"privateKey\":\"" + Secret + "!\"}");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetAsync(CancellationToken.None));

        Assert.Contains(Parameter, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_without_a_KMS_key_is_refused_before_any_call()
    {
        await using var ssm = FakeParameterStore.Start();
        var store = Store(ssm, kmsKeyId: null);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.PutAsync(
                new TokenSigningKey(KeyArn, GeneratedSigningKeyPair.Create().Pkcs8PrivateKey, DateTimeOffset.UtcNow),
                CancellationToken.None));
        Assert.Empty(ssm.Requests);
    }

    private static SsmTokenSigningKeyStore Store(FakeParameterStore ssm, string? kmsKeyId)
    {
        var client = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = ssm.ServiceUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        return new SsmTokenSigningKeyStore(client, new SsmTokenSigningKeyOptions { ParameterName = Parameter, KmsKeyId = kmsKeyId });
    }
}
