using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Domain.UnitTests.Users;

public sealed class UserTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly LockoutPolicy Policy = new(MaxFailedAttempts: 10, Window: TimeSpan.FromMinutes(15), LockoutDuration: TimeSpan.FromMinutes(15));

    private static User NewUser(DateTimeOffset? at = null) =>
        User.Register(Guid.NewGuid(), "alice@example.com", "Alice", "hash-1", at ?? Now);

    [Fact]
    public void Register_WithValidInput_HasUserRoleAndNormalizedEmail()
    {
        var id = Guid.NewGuid();

        var user = User.Register(id, "  Alice.Smith@Example.COM ", " Alice ", "hash-1", Now);

        Assert.Equal(id, user.Id);
        Assert.Equal(UserRole.User, user.Role);
        Assert.Equal("Alice.Smith@Example.COM", user.Email);
        Assert.Equal("ALICE.SMITH@EXAMPLE.COM", user.NormalizedEmail);
        Assert.Equal("Alice", user.Name);
        Assert.Equal("hash-1", user.PasswordHash);
        Assert.Equal(Now, user.CreatedAt);
        Assert.False(string.IsNullOrWhiteSpace(user.SecurityStamp));
        Assert.Equal(0, user.FailedLoginCount);
        Assert.False(user.IsLockedOut(Now));
        Assert.False(user.IsDisabled);
    }

    [Fact]
    public void NormalizeEmail_WithDifferentCaseAndSpaces_GivesSameValue()
    {
        Assert.Equal(User.NormalizeEmail("Bob@Example.com"), User.NormalizeEmail("  bob@EXAMPLE.COM "));
        Assert.NotEqual(User.NormalizeEmail("bob@example.com"), User.NormalizeEmail("bob2@example.com"));
    }

    [Fact]
    public void CreateAdministrator_WithValidInput_HasAdminRole()
    {
        var admin = User.CreateAdministrator(Guid.NewGuid(), "root@example.com", "Root", "hash-1", Now);

        Assert.Equal(UserRole.Admin, admin.Role);
        Assert.Equal("ROOT@EXAMPLE.COM", admin.NormalizedEmail);
    }

    [Fact]
    public void Register_Always_NeverGivesAdminRole()
    {
        var user = NewUser();

        Assert.NotEqual(UserRole.Admin, user.Role);
    }

    [Fact]
    public void Register_WithEmptyId_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => User.Register(Guid.Empty, "alice@example.com", "Alice", "hash-1", Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Register_WithBlankEmail_ThrowsDomainException(string email)
    {
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), email, "Alice", "hash-1", Now));
    }

    [Fact]
    public void Register_WithNullEmail_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), null!, "Alice", "hash-1", Now));
    }

    [Fact]
    public void Register_WithEmailLongerThanMax_ThrowsDomainException()
    {
        var email = new string('a', User.MaxEmailLength - "@example.com".Length + 1) + "@example.com";

        Assert.Equal(User.MaxEmailLength + 1, email.Length);
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), email, "Alice", "hash-1", Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Register_WithBlankNameOrHash_ThrowsDomainException(string blank)
    {
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), "alice@example.com", blank, "hash-1", Now));
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), "alice@example.com", "Alice", blank, Now));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-5)]
    public void Register_WithNonUtcTime_ThrowsDomainException(int offsetHours)
    {
        var local = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(offsetHours));

        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), "alice@example.com", "Alice", "hash-1", local));
        Assert.Throws<DomainException>(() => User.CreateAdministrator(Guid.NewGuid(), "alice@example.com", "Alice", "hash-1", local));
    }

    [Fact]
    public void RecordFailedLogin_BelowMaxAttemptsWithinWindow_DoesNotLock()
    {
        var user = NewUser();

        for (var i = 1; i < Policy.MaxFailedAttempts; i++)
        {
            var locked = user.RecordFailedLogin(Now + TimeSpan.FromSeconds(i), Policy);
            Assert.False(locked);
            Assert.Equal(i, user.FailedLoginCount);
        }

        Assert.Null(user.LockedUntil);
        Assert.False(user.IsLockedOut(Now + TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void RecordFailedLogin_AtMaxAttemptsWithinWindow_LocksAccount()
    {
        var user = NewUser();
        for (var i = 1; i < Policy.MaxFailedAttempts; i++)
        {
            user.RecordFailedLogin(Now + TimeSpan.FromSeconds(i), Policy);
        }

        var last = Now + TimeSpan.FromMinutes(14);
        var locked = user.RecordFailedLogin(last, Policy);

        Assert.True(locked);
        Assert.Equal(last + Policy.LockoutDuration, user.LockedUntil);
        Assert.True(user.IsLockedOut(last));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void RecordFailedLogin_WithCustomPolicy_LocksExactlyAtMaxAttempts(int max)
    {
        var policy = new LockoutPolicy(max, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1));
        var user = NewUser();
        var results = new List<bool>();

        for (var i = 0; i < max; i++)
        {
            results.Add(user.RecordFailedLogin(Now + TimeSpan.FromSeconds(i), policy));
        }

        Assert.All(results.Take(max - 1), Assert.False);
        Assert.True(results[^1]);
    }

    [Fact]
    public void RecordFailedLogin_FailuresOutsideWindow_ResetCount()
    {
        var user = NewUser();
        for (var i = 0; i < Policy.MaxFailedAttempts - 1; i++)
        {
            user.RecordFailedLogin(Now + TimeSpan.FromSeconds(i), Policy);
        }

        // The window runs from the first failure; once it has elapsed, earlier failures no longer count.
        var later = Now + Policy.Window;
        var locked = user.RecordFailedLogin(later, Policy);

        Assert.False(locked);
        Assert.Equal(1, user.FailedLoginCount);
        Assert.Equal(later, user.FailedLoginWindowStartedAt);
        Assert.False(user.IsLockedOut(later));
    }

    [Fact]
    public void RecordFailedLogin_JustInsideWindow_KeepsCounting()
    {
        var user = NewUser();
        for (var i = 0; i < Policy.MaxFailedAttempts - 1; i++)
        {
            user.RecordFailedLogin(Now, Policy);
        }

        var locked = user.RecordFailedLogin(Now + Policy.Window - TimeSpan.FromTicks(1), Policy);

        Assert.True(locked);
    }

    [Fact]
    public void RecordFailedLogin_AfterWindowReset_NeedsFullCountAgainToLock()
    {
        var user = NewUser();
        for (var i = 0; i < Policy.MaxFailedAttempts - 1; i++)
        {
            user.RecordFailedLogin(Now, Policy);
        }

        var second = Now + TimeSpan.FromHours(1);
        var outcomes = Enumerable.Range(0, Policy.MaxFailedAttempts)
            .Select(i => user.RecordFailedLogin(second + TimeSpan.FromSeconds(i), Policy))
            .ToList();

        Assert.Equal(Policy.MaxFailedAttempts - 1, outcomes.Count(o => !o));
        Assert.True(outcomes[^1]);
    }

    [Fact]
    public void IsLockedOut_UntilLockedUntil_TrueThenFalse()
    {
        var user = NewUser();
        for (var i = 0; i < Policy.MaxFailedAttempts; i++)
        {
            user.RecordFailedLogin(Now, Policy);
        }

        var until = Now + Policy.LockoutDuration;
        Assert.Equal(until, user.LockedUntil);
        Assert.True(user.IsLockedOut(Now));
        Assert.True(user.IsLockedOut(until - TimeSpan.FromTicks(1)));
        Assert.False(user.IsLockedOut(until));
        Assert.False(user.IsLockedOut(until + TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void RecordSuccessfulLogin_AfterFailuresAndLock_ResetsCounterAndLock()
    {
        var user = NewUser();
        for (var i = 0; i < Policy.MaxFailedAttempts; i++)
        {
            user.RecordFailedLogin(Now, Policy);
        }

        user.RecordFailedLogin(Now + TimeSpan.FromSeconds(1), Policy);
        Assert.True(user.IsLockedOut(Now + TimeSpan.FromSeconds(1)));
        Assert.Equal(1, user.FailedLoginCount);

        user.RecordSuccessfulLogin();

        Assert.Equal(0, user.FailedLoginCount);
        Assert.Null(user.FailedLoginWindowStartedAt);
        Assert.Null(user.LockedUntil);
        Assert.False(user.IsLockedOut(Now + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void RecordSuccessfulLogin_AfterSomeFailures_RestartsCountFromZero()
    {
        var user = NewUser();
        for (var i = 0; i < Policy.MaxFailedAttempts - 1; i++)
        {
            user.RecordFailedLogin(Now, Policy);
        }

        user.RecordSuccessfulLogin();
        var locked = user.RecordFailedLogin(Now + TimeSpan.FromSeconds(1), Policy);

        Assert.False(locked);
        Assert.Equal(1, user.FailedLoginCount);
    }

    [Fact]
    public void ChangePassword_WithNewHash_ReplacesHashAndChangesSecurityStamp()
    {
        var user = NewUser();
        var stamp = user.SecurityStamp;

        user.ChangePassword("hash-2");

        Assert.Equal("hash-2", user.PasswordHash);
        Assert.NotEqual(stamp, user.SecurityStamp);
        Assert.False(string.IsNullOrWhiteSpace(user.SecurityStamp));
    }

    [Fact]
    public void ChangePassword_Twice_GivesDistinctSecurityStamps()
    {
        var user = NewUser();
        var stamps = new HashSet<string> { user.SecurityStamp };

        user.ChangePassword("hash-2");
        stamps.Add(user.SecurityStamp);
        user.ChangePassword("hash-3");
        stamps.Add(user.SecurityStamp);

        Assert.Equal(3, stamps.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ChangePassword_WithBlankHash_ThrowsAndKeepsCredentials(string blank)
    {
        var user = NewUser();
        var stamp = user.SecurityStamp;

        Assert.Throws<DomainException>(() => user.ChangePassword(blank));

        Assert.Equal("hash-1", user.PasswordHash);
        Assert.Equal(stamp, user.SecurityStamp);
    }

    [Fact]
    public void UpgradePasswordHash_WithNewHash_ReplacesHashButKeepsSecurityStamp()
    {
        var user = NewUser();
        var stamp = user.SecurityStamp;

        user.UpgradePasswordHash("stronger-hash");

        Assert.Equal("stronger-hash", user.PasswordHash);
        Assert.Equal(stamp, user.SecurityStamp);
    }

    [Fact]
    public void Disable_Always_MarksUserDisabled()
    {
        var user = NewUser();

        user.Disable();

        Assert.True(user.IsDisabled);
    }
}
