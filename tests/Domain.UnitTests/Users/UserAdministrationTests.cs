using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Domain.UnitTests.Users;

public sealed class UserAdministrationTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly Guid Admin = Guid.NewGuid();

    private static User NewUser()
    {
        var user = User.Register(Guid.NewGuid(), EmailAddress.Create("alice@example.com"), "Alice", "hash-1", "stamp-1", Now);
        user.DequeueDomainEvents();
        return user;
    }

    private static User DisabledUser()
    {
        var user = NewUser();
        user.Disable(Admin, "stamp-disabled", Now);
        user.DequeueDomainEvents();
        return user;
    }

    [Fact]
    public void Disable_WhenEnabled_MarksDisabledRotatesTheStampAndRaisesUserDisabled()
    {
        var user = NewUser();

        user.Disable(Admin, "stamp-2", Now.AddMinutes(3));

        Assert.True(user.IsDisabled);
        Assert.Equal("stamp-2", user.SecurityStamp);
        Assert.Equal(Now.AddMinutes(3), user.SecurityStampChangedAt);
        Assert.Equal(
            [new SecurityStampRotated(user.Id, SecurityStamps.Fingerprint("stamp-2"), Now.AddMinutes(3)), new UserDisabled(user.Id, Admin)],
            user.DequeueDomainEvents());
    }

    [Fact]
    public void Disable_WhenAlreadyDisabled_ChangesNothingAndRaisesNothing()
    {
        var user = DisabledUser();

        user.Disable(Admin, "stamp-3", Now.AddMinutes(1));

        Assert.Equal("stamp-disabled", user.SecurityStamp);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Theory]
    [InlineData("stamp-1")]
    [InlineData("")]
    public void Disable_WithTheCurrentOrABlankStamp_ThrowsAndStaysEnabled(string stamp)
    {
        var user = NewUser();

        Assert.Throws<DomainException>(() => user.Disable(Admin, stamp, Now));

        Assert.False(user.IsDisabled);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void Disable_WithNonUtcTime_Throws()
    {
        var user = NewUser();

        Assert.Throws<DomainException>(() => user.Disable(Admin, "stamp-2", Now.ToOffset(TimeSpan.FromHours(2))));
    }

    [Fact]
    public void Enable_WhenDisabled_MarksEnabledKeepsTheStampAndRaisesUserEnabled()
    {
        var user = DisabledUser();

        user.Enable(Admin);

        Assert.False(user.IsDisabled);
        Assert.Equal("stamp-disabled", user.SecurityStamp); // tokens that disabling ended stay ended
        Assert.Equal(new UserEnabled(user.Id, Admin), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void Enable_WhenEnabled_RaisesNothing()
    {
        var user = NewUser();

        user.Enable(Admin);

        Assert.False(user.IsDisabled);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void ChangeRole_ToAnotherRole_SetsItRotatesTheStampAndRaisesUserRoleChanged()
    {
        var user = NewUser();

        user.ChangeRole(UserRole.Admin, Admin, "stamp-2", Now.AddMinutes(4));

        Assert.Equal(UserRole.Admin, user.Role);
        Assert.Equal("stamp-2", user.SecurityStamp);
        Assert.Equal(
            [new SecurityStampRotated(user.Id, SecurityStamps.Fingerprint("stamp-2"), Now.AddMinutes(4)), new UserRoleChanged(user.Id, Admin, UserRole.User, UserRole.Admin)],
            user.DequeueDomainEvents());
    }

    [Fact]
    public void ChangeRole_ToTheSameRole_ChangesNothingAndRaisesNothing()
    {
        var user = NewUser();

        user.ChangeRole(UserRole.User, Admin, "stamp-2", Now);

        Assert.Equal("stamp-1", user.SecurityStamp);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void ChangeRole_UnknownRoleOrTheCurrentStamp_ThrowsAndKeepsTheRole()
    {
        var user = NewUser();

        Assert.Throws<DomainException>(() => user.ChangeRole((UserRole)7, Admin, "stamp-2", Now));
        Assert.Throws<DomainException>(() => user.ChangeRole(UserRole.Admin, Admin, "stamp-1", Now));

        Assert.Equal(UserRole.User, user.Role);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void UserRoleChanged_Always_IsAChangeOfStandingThatEvictsCachedCredentials()
    {
        Assert.IsAssignableFrom<IAccountStandingChanged>(new UserRoleChanged(Guid.NewGuid(), Admin, UserRole.Admin, UserRole.User));
    }

    [Fact]
    public void RecordUnlocked_Always_RaisesAccountUnlockedWithTheAdministrator()
    {
        var user = NewUser();

        user.RecordUnlocked(Admin);

        Assert.Equal(new AccountUnlocked(user.Id, Admin), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void SignOutEverywhere_Always_RotatesTheStampAndRaisesSignedOutEverywhere()
    {
        var user = NewUser();

        user.SignOutEverywhere("stamp-2", Now);

        Assert.Equal("stamp-2", user.SecurityStamp);
        Assert.Equal(Now, user.SecurityStampChangedAt);
        Assert.Equal(
            [new SecurityStampRotated(user.Id, SecurityStamps.Fingerprint("stamp-2"), Now), new SignedOutEverywhere(user.Id)],
            user.DequeueDomainEvents());
    }

    [Fact]
    public void SignOutEverywhere_WithTheCurrentStamp_ThrowsAndRaisesNothing()
    {
        var user = NewUser();

        Assert.Throws<DomainException>(() => user.SignOutEverywhere("stamp-1", Now));

        Assert.Null(user.SecurityStampChangedAt);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void Fingerprint_OfAStamp_IsShortStableAndDiffersPerStamp()
    {
        var stamp = "0123456789abcdef0123456789abcdef";

        var fingerprint = SecurityStamps.Fingerprint(stamp);

        Assert.Equal(16, fingerprint.Length);
        Assert.Matches("^[A-Za-z0-9_-]{16}$", fingerprint);
        Assert.Equal(fingerprint, SecurityStamps.Fingerprint(stamp));
        Assert.NotEqual(fingerprint, SecurityStamps.Fingerprint(stamp + "0"));
        Assert.DoesNotContain(stamp[..8], fingerprint, StringComparison.Ordinal);
    }
}
