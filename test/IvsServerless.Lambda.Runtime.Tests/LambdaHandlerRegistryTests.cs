namespace IvsServerless.Lambda.Runtime.Tests;

public sealed class LambdaHandlerRegistryTests
{
    [Fact]
    public void Names_are_listed_in_ordinal_order_and_lookup_is_exact()
    {
        var registry = new LambdaHandlerRegistry()
            .Add("tokens", DelegateHandler.Echo)
            .Add("compositions", DelegateHandler.Echo)
            .Add("stages", DelegateHandler.Echo);

        Assert.Equal(["compositions", "stages", "tokens"], registry.Names);
        Assert.True(registry.TryGetFactory("stages", out _));
        Assert.False(registry.TryGetFactory("STAGES", out _));
        Assert.False(registry.TryGetFactory(null, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("two words")]
    public void Rejects_blank_or_whitespace_names(string name) =>
        Assert.Throws<ArgumentException>(() => new LambdaHandlerRegistry().Add(name, DelegateHandler.Echo));

    [Fact]
    public void Rejects_duplicate_names() =>
        Assert.Throws<ArgumentException>(() => new LambdaHandlerRegistry()
            .Add("stages", DelegateHandler.Echo)
            .Add("stages", DelegateHandler.Echo));
}
