using Amazon.Runtime;

namespace IvsServerless.IvsRealTime.Tests;

/// <summary>
/// The client's signer (<see cref="SigV4RequestSigner"/> over AWSSDK.Core's AWSSigV4Signer) against AWS's own
/// SigV4 test suite.
/// <para>
/// AWSSDK.Core always adds and signs <c>x-amz-content-sha256</c>; the suite's vectors never sign it, so no
/// Authorization it produces can equal an .authz byte for byte. Each case is therefore proven in two steps:
/// (1) a from-the-spec reference (<see cref="ReferenceSigV4"/>) turns the case's .creq into exactly its .sts and
/// .authz; (2) the signer's Authorization equals that reference applied to the same .creq plus the one
/// payload-hash header. Any canonicalization difference (path, query, header folding, ordering) fails step 2.
/// </para>
/// </summary>
public sealed class SigV4TestSuiteTests
{
    private const string Date = "20150830T123600Z";

    // Why a case cannot pass; each is a [Fact(Skip)] below so the runner lists it with its reason.
    private const string PathDoubleEncoding =
        "AWSSDK.Core, like every AWS SDK for services other than S3, percent-encodes the already-encoded wire path a " +
        "second time (%20 -> %2520, %E1 -> %25E1); the suite encodes the raw path once. IVS expects the double " +
        "encoding (the JS SDK does the same), which SigningTests checks on the /tags/{arn} path.";

    private const string EmptySegmentsKept =
        "AWSSDK.Core signs the path as sent and does not collapse empty segments ('//' stays '//'); the suite " +
        "expects them removed. IVS paths (/<Operation>, /tags/<encoded arn>) never contain '//'.";

    private const string QuerySortedDecoded =
        "AWSSDK.Core sorts query parameters by their decoded text; SigV4 and this case sort by the encoded text. " +
        "A genuine deviation of the dependency: IvsRealTimeClient.UntagBatches works around it for UntagResource, " +
        "the only IVS operation with a query (see SigningTests).";

    private const string TokenAddedAfterSigning =
        "Inapplicable: the case adds X-Amz-Security-Token after signing, for services that want it unsigned. The " +
        "signer deliberately always signs the token (post-sts-header-before, which runs), as IVS requires.";

    private static readonly Dictionary<string, string> Skipped = new()
    {
        ["get-utf8"] = PathDoubleEncoding,
        ["normalize-path/get-space"] = PathDoubleEncoding,
        ["normalize-path/get-slash"] = EmptySegmentsKept,
        ["normalize-path/get-slashes"] = EmptySegmentsKept,
        ["get-vanilla-query-order-encoded"] = QuerySortedDecoded,
        ["post-sts-token/post-sts-header-after"] = TokenAddedAfterSigning,
    };

    public static TheoryData<string> AllCases() => [.. SigV4SuiteCase.AllIds()];

    public static TheoryData<string> SignableCases() => [.. SigV4SuiteCase.AllIds().Where(id => !Skipped.ContainsKey(id))];

    [Fact]
    public void The_suite_is_found_and_every_case_is_run_or_skipped_with_a_reason()
    {
        var all = SigV4SuiteCase.AllIds().ToList();
        Assert.Equal(34, all.Count);
        Assert.All(Skipped.Keys, id => Assert.Contains(id, all));
        Assert.Equal(all.Count - Skipped.Count, SignableCases().Count);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Reference_signer_reproduces_the_suite_exactly(string id)
    {
        var suiteCase = SigV4SuiteCase.Load(id);

        Assert.Equal(suiteCase.StringToSign, ReferenceSigV4.StringToSign(suiteCase.CanonicalRequest, Date, "us-east-1", "service"));
        Assert.Equal(suiteCase.Authorization, ReferenceSigV4.Authorization(suiteCase.CanonicalRequest, Date, "us-east-1", "service"));
    }

    [Theory]
    [MemberData(nameof(SignableCases))]
    public async Task Client_signer_matches_the_suite(string id) => await AssertSignerMatches(id);

    [Fact(Skip = PathDoubleEncoding)]
    public Task Get_utf8() => AssertSignerMatches("get-utf8");

    [Fact(Skip = PathDoubleEncoding)]
    public Task Get_space() => AssertSignerMatches("normalize-path/get-space");

    [Fact(Skip = EmptySegmentsKept)]
    public Task Get_slash() => AssertSignerMatches("normalize-path/get-slash");

    [Fact(Skip = EmptySegmentsKept)]
    public Task Get_slashes() => AssertSignerMatches("normalize-path/get-slashes");

    [Fact(Skip = QuerySortedDecoded)]
    public Task Get_vanilla_query_order_encoded() => AssertSignerMatches("get-vanilla-query-order-encoded");

    [Fact(Skip = TokenAddedAfterSigning)]
    public Task Post_sts_header_after() => AssertSignerMatches("post-sts-token/post-sts-header-after");

    private static async Task AssertSignerMatches(string id)
    {
        var suiteCase = SigV4SuiteCase.Load(id);
        AWSCredentials credentials = suiteCase.SessionToken is { } token
            ? new SessionAWSCredentials(TestClients.AccessKey, TestClients.SecretKey, token)
            : new BasicAWSCredentials(TestClients.AccessKey, TestClients.SecretKey);
        var signedAt = DateTimeOffset.ParseExact(suiteCase.Header("X-Amz-Date"), "yyyyMMdd'T'HHmmss'Z'", null,
            System.Globalization.DateTimeStyles.AssumeUniversal);
        var signer = new SigV4RequestSigner(credentials, "us-east-1", "service", new ManualTimeProvider(signedAt));
        using var request = suiteCase.ToHttpRequest();

        await signer.SignAsync(request, suiteCase.BodyBytes, CancellationToken.None);

        var expected = ReferenceSigV4.Authorization(
            ReferenceSigV4.WithPayloadHashHeader(suiteCase.CanonicalRequest), Date, "us-east-1", "service");
        Assert.Equal(expected, Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal(Date, Assert.Single(request.Headers.GetValues("X-Amz-Date")));
        Assert.Equal(suiteCase.CanonicalRequest.Split('\n')[^1], Assert.Single(request.Headers.GetValues("X-Amz-Content-SHA256")));
        if (suiteCase.SessionToken is { } sessionToken)
        {
            Assert.Equal(sessionToken, Assert.Single(request.Headers.GetValues("X-Amz-Security-Token")));
        }
    }
}
