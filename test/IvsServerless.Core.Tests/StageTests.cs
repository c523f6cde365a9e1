using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Tests;

public sealed class StageTests
{
    private static readonly Stage Private = new("id", "arn", "n", "owner", StageVisibility.Private,
        new HashSet<string> { "cohost" }, new HashSet<string> { "guest" }, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("owner", StageRole.Owner, true, true)]
    [InlineData("cohost", StageRole.CoHost, true, false)]
    [InlineData("guest", StageRole.Invited, true, false)]
    [InlineData("stranger", StageRole.Other, false, false)]
    public void Roles_visibility_and_ownership_of_a_private_stage(string user, StageRole role, bool visible, bool owns)
    {
        Assert.Equal(role, Private.RoleOf(user));
        Assert.Equal(visible, Private.IsVisibleTo(user));
        Assert.Equal(owns, Private.IsOwnedBy(user));
    }

    [Fact]
    public void Public_stage_is_visible_to_everyone_signed_in_but_owned_only_by_its_creator()
    {
        var stage = Private with { Visibility = StageVisibility.Public };
        Assert.True(stage.IsVisibleTo("stranger"));
        Assert.False(stage.IsOwnedBy("cohost"));
    }
}
