using Amazon.Runtime;

namespace IvsServerless.IvsRealTime.Tests;

public sealed class OptionsTests
{
    private static readonly IvsRealTimeClientOptions Valid = new() { Region = "us-east-1" };

    [Fact]
    public void Defaults_are_valid_and_point_at_the_regional_endpoint()
    {
        Valid.Validate();

        Assert.Equal(3, Valid.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(100), Valid.BaseDelay);
        Assert.Equal(new Uri("https://ivsrealtime.us-east-1.amazonaws.com"), Valid.ResolveServiceUrl());
        Assert.Equal(
            new Uri("https://ivsrealtime.cn-north-1.amazonaws.com.cn"), (Valid with { Region = "cn-north-1" }).ResolveServiceUrl());
    }

    [Theory]
    [InlineData("http://127.0.0.1:4566")]
    [InlineData("https://ivsrealtime.eu-west-1.amazonaws.com/")]
    [InlineData("http://localhost:8080/ivs")]
    public void An_absolute_http_url_overrides_the_endpoint(string serviceUrl)
    {
        var options = Valid with { ServiceUrl = serviceUrl };

        options.Validate();
        Assert.Equal(new Uri(serviceUrl), options.ResolveServiceUrl());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("US-EAST-1")]
    [InlineData("us east 1")]
    [InlineData("useast1")]
    [InlineData("us-east-1.evil.com/")]
    public void Bad_regions_fail(string region) =>
        AssertInvalid(Valid with { Region = region }, "Region");

    [Fact]
    public void A_null_region_fails() =>
        AssertInvalid(Valid with { Region = null! }, "Region");

    [Theory]
    [InlineData("")]
    [InlineData("/relative/path")]
    [InlineData("ivsrealtime.us-east-1.amazonaws.com")]
    [InlineData("localhost:4566")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("http://127.0.0.1:4566/?a=b")]
    [InlineData("http://127.0.0.1:4566/#x")]
    public void Non_absolute_or_non_http_urls_fail(string serviceUrl) =>
        AssertInvalid(Valid with { ServiceUrl = serviceUrl }, "ServiceUrl");

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void MaxAttempts_below_one_fails(int maxAttempts) =>
        AssertInvalid(Valid with { MaxAttempts = maxAttempts }, "MaxAttempts");

    [Fact]
    public void Negative_or_inverted_delays_fail()
    {
        AssertInvalid(Valid with { BaseDelay = TimeSpan.FromMilliseconds(-1) }, "BaseDelay");
        AssertInvalid(Valid with { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(1) }, "MaxDelay");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<ArgumentException>(
            () => new IvsRealTimeClientOptions { Region = "", ServiceUrl = "nope", MaxAttempts = 0 }.Validate());

        Assert.Contains("Region", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServiceUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxAttempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_refuses_invalid_options() =>
        Assert.Throws<ArgumentException>(() => new IvsRealTimeClient(
            new HttpClient(), Valid with { MaxAttempts = 0 }, new BasicAWSCredentials(TestClients.AccessKey, TestClients.SecretKey)));

    private static void AssertInvalid(IvsRealTimeClientOptions options, string setting)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
