using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Users;

namespace AuthPlatform.Domain.UnitTests.Users;

public sealed class UserTests
{
    private static readonly DateTimeOffset Now = TestTime.Start;
    private static readonly EmailAddress Alice = EmailAddress.Create("alice@example.com");

    private static User NewUser(DateTimeOffset? at = null)
    {
        var user = User.Register(Guid.NewGuid(), Alice, "Alice", "hash-1", "stamp-1", at ?? Now);
        user.DequeueDomainEvents(); // as loaded: a stored user has no pending events
        return user;
    }

    // ---- Register and CreateAdministrator ----

    [Fact]
    public void Register_WithValidInput_HasUserRoleAndTheGivenEmailAndStamp()
    {
        var id = Guid.NewGuid();
        var email = EmailAddress.Create("  Alice.Smith@Example.COM ");

        var user = User.Register(id, email, " Alice ", "hash-1", "stamp-1", Now);

        Assert.Equal(id, user.Id);
        Assert.Equal(UserRole.User, user.Role);
        Assert.Same(email, user.Email);
        Assert.Equal("Alice.Smith@Example.COM", user.Email.Value);
        Assert.Equal("ALICE.SMITH@EXAMPLE.COM", user.NormalizedEmail);
        Assert.Equal("Alice", user.Name);
        Assert.Equal("hash-1", user.PasswordHash);
        Assert.Equal("stamp-1", user.SecurityStamp);
        Assert.Equal(Now, user.CreatedAt);
        Assert.False(user.IsDisabled);
    }

    [Fact]
    public void Register_WithValidInput_RaisesUserRegisteredOnly()
    {
        var user = User.Register(Guid.NewGuid(), Alice, " Alice ", "hash-1", "stamp-1", Now);

        var raised = Assert.Single(user.DequeueDomainEvents());
        Assert.Equal(new UserRegistered(user.Id, "alice@example.com", "Alice"), raised);
    }

    [Fact]
    public void Register_Always_NeverGivesAdminRole()
    {
        Assert.NotEqual(UserRole.Admin, NewUser().Role);
    }

    [Fact]
    public void CreateAdministrator_WithValidInput_HasAdminRoleAndRaisesAdministratorBootstrapped()
    {
        var admin = User.CreateAdministrator(Guid.NewGuid(), EmailAddress.Create("Root@Example.com"), "Root", "hash-1", "stamp-1", Now);

        Assert.Equal(UserRole.Admin, admin.Role);
        Assert.Equal("ROOT@EXAMPLE.COM", admin.NormalizedEmail);
        var raised = Assert.Single(admin.DequeueDomainEvents());
        Assert.Equal(new AdministratorBootstrapped(admin.Id, "Root@Example.com"), raised);
    }

    [Fact]
    public void Register_WithEmptyId_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => User.Register(Guid.Empty, Alice, "Alice", "hash-1", "stamp-1", Now));
    }

    [Fact]
    public void Register_WithNullEmail_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => User.Register(Guid.NewGuid(), null!, "Alice", "hash-1", "stamp-1", Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Register_WithBlankNameHashOrStamp_ThrowsDomainException(string blank)
    {
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), Alice, blank, "hash-1", "stamp-1", Now));
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), Alice, "Alice", blank, "stamp-1", Now));
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), Alice, "Alice", "hash-1", blank, Now));
    }

    [Fact]
    public void Register_WithNameLongerThanMax_ThrowsDomainException()
    {
        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), Alice, new string('n', User.MaxNameLength + 1), "hash-1", "stamp-1", Now));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-5)]
    public void Register_WithNonUtcTime_ThrowsDomainException(int offsetHours)
    {
        var local = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(offsetHours));

        Assert.Throws<DomainException>(() => User.Register(Guid.NewGuid(), Alice, "Alice", "hash-1", "stamp-1", local));
        Assert.Throws<DomainException>(() => User.CreateAdministrator(Guid.NewGuid(), Alice, "Alice", "hash-1", "stamp-1", local));
    }

    // ---- Failed attempts: counted by the attempt throttle, reported by the user ----

    [Fact]
    public void RecordFailedAttempt_PasswordNotLocking_RaisesLoginFailedOnly()
    {
        var user = NewUser();

        user.RecordFailedAttempt(AttemptKind.Password, FailureReasons.WrongPassword, lockedUntil: null);

        Assert.Equal(new LoginFailed(user.Id, FailureReasons.WrongPassword), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void RecordFailedAttempt_SecondFactorNotLocking_RaisesSecondFactorFailedOnly()
    {
        var user = NewUser();

        user.RecordFailedAttempt(AttemptKind.SecondFactor, "login", lockedUntil: null);

        Assert.Equal(new SecondFactorFailed(user.Id, "login"), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void RecordFailedAttempt_ThatLocked_AlsoRaisesAccountLockedUntilTheThrottlesTime()
    {
        var until = Now.AddMinutes(15);
        var user = NewUser();

        user.RecordFailedAttempt(AttemptKind.Password, FailureReasons.WrongPassword, lockedUntil: until);

        Assert.Equal(
            new IDomainEvent[] { new LoginFailed(user.Id, FailureReasons.WrongPassword), new AccountLocked(user.Id, until) },
            user.DequeueDomainEvents());
    }

    [Fact]
    public void RecordRefusedLogin_Always_RaisesLoginFailed()
    {
        var user = NewUser();

        user.RecordRefusedLogin(FailureReasons.Locked);

        Assert.Equal(new LoginFailed(user.Id, FailureReasons.Locked), Assert.Single(user.DequeueDomainEvents()));
    }

    // ---- Successful sign-in ----

    [Fact]
    public void RecordPasswordVerified_Always_RaisesPasswordVerified()
    {
        var user = NewUser();

        user.RecordPasswordVerified();

        Assert.Equal(new PasswordVerified(user.Id), Assert.Single(user.DequeueDomainEvents()));
    }

    [Fact]
    public void RecordSuccessfulLogin_WithPassword_RaisesLoginSucceeded()
    {
        var user = NewUser();

        user.RecordSuccessfulLogin(["pwd"]);

        var raised = Assert.IsType<LoginSucceeded>(Assert.Single(user.DequeueDomainEvents()));
        Assert.Equal(user.Id, raised.UserId);
        Assert.Equal(["pwd"], raised.AuthenticationMethods);
        Assert.False(raised.WithRecoveryCode);
    }

    [Fact]
    public void RecordSuccessfulLogin_WithRecoveryCode_SaysSoInTheEvent()
    {
        var user = NewUser();

        user.RecordSuccessfulLogin(["pwd", "otp"], withRecoveryCode: true);

        var raised = Assert.IsType<LoginSucceeded>(Assert.Single(user.DequeueDomainEvents()));
        Assert.Equal(["pwd", "otp"], raised.AuthenticationMethods);
        Assert.True(raised.WithRecoveryCode);
    }

    // ---- Credentials ----

    [Fact]
    public void ChangePassword_WithNewHashAndStamp_ReplacesBothAndRaisesPasswordChanged()
    {
        var user = NewUser();

        user.ChangePassword("hash-2", "stamp-2");

        Assert.Equal("hash-2", user.PasswordHash);
        Assert.Equal("stamp-2", user.SecurityStamp);
        Assert.Equal(new PasswordChanged(user.Id), Assert.Single(user.DequeueDomainEvents()));
    }

    [Theory]
    [InlineData("", "stamp-2")]
    [InlineData("   ", "stamp-2")]
    [InlineData("hash-2", "")]
    [InlineData("hash-2", "  ")]
    public void ChangePassword_WithBlankHashOrStamp_ThrowsAndKeepsCredentials(string hash, string stamp)
    {
        var user = NewUser();

        Assert.Throws<DomainException>(() => user.ChangePassword(hash, stamp));

        Assert.Equal("hash-1", user.PasswordHash);
        Assert.Equal("stamp-1", user.SecurityStamp);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void UpgradePasswordHash_WithNewHash_ReplacesHashButKeepsSecurityStampAndRaisesNothing()
    {
        var user = NewUser();

        user.UpgradePasswordHash("stronger-hash");

        Assert.Equal("stronger-hash", user.PasswordHash);
        Assert.Equal("stamp-1", user.SecurityStamp);
        Assert.Empty(user.DequeueDomainEvents());
    }

    [Fact]
    public void Disable_Always_MarksUserDisabled()
    {
        var user = NewUser();

        user.Disable();

        Assert.True(user.IsDisabled);
    }

    // ---- Events ----

    [Fact]
    public void DequeueDomainEvents_Twice_HandsEachEventOverOnce()
    {
        var user = NewUser();
        user.RecordRefusedLogin(FailureReasons.Disabled);

        Assert.Single(user.DequeueDomainEvents());
        Assert.Empty(user.DequeueDomainEvents());
        Assert.Empty(user.DomainEvents);
    }
}
