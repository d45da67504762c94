using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Register;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Auth;

public sealed class RegisterHandlerTests
{
    private const string RawPassword = "a long enough passphrase";

    private readonly Ports _ports = new();

    private Task<Result<UserResponse>> Register(string email = "new@example.com", string password = RawPassword, string name = "Newcomer") =>
        new RegisterHandler(new NewAccounts(_ports.Users, _ports.Hasher, _ports.Secrets, _ports.Clock), _ports.Mapper)
            .Handle(new RegisterCommand(email, password, name), CancellationToken.None).AsTask();

    private User SingleAddedUser() =>
        Assert.Single(_ports.Users.ReceivedCalls().Where(c => c.GetMethodInfo().Name == "Add").Select(c => (User)c.GetArguments()[0]!));

    [Fact]
    public async Task Handle_ExistingEmail_ReturnsConflictWithoutAdding()
    {
        _ports.Users.EmailExistsAsync("taken@example.com", Arg.Any<CancellationToken>()).Returns(true);

        var result = await Register(email: "taken@example.com");

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.Conflict, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.Users.DidNotReceiveWithAnyArgs().Add(default!);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Hash(default!);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_NewEmail_AddsUserWithHashedPassword()
    {
        _ports.Hasher.Hash(RawPassword).Returns("pbkdf2-hash-of-password");

        var result = await Register();

        Assert.True(result.IsSuccess);
        var added = SingleAddedUser();
        Assert.Equal("pbkdf2-hash-of-password", added.PasswordHash);
        Assert.DoesNotContain(RawPassword, added.PasswordHash, StringComparison.Ordinal);
        _ports.Hasher.Received(1).Hash(RawPassword);
        Assert.Equal("new@example.com", added.Email.Value);
        Assert.Equal("NEW@EXAMPLE.COM", added.NormalizedEmail);
        Assert.Equal("Newcomer", added.Name);
        Assert.Equal(UserRole.User, added.Role);
        Assert.Equal(_ports.Clock.GetUtcNow(), added.CreatedAt);
        Assert.NotEqual(Guid.Empty, added.Id);
    }

    [Fact]
    public async Task Handle_NewEmail_GivesTheUserAFreshRandomSecurityStamp()
    {
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("hash");

        await Register(email: "one@example.com");
        await Register(email: "two@example.com");

        var added = _ports.Users.ReceivedCalls().Where(c => c.GetMethodInfo().Name == "Add").Select(c => (User)c.GetArguments()[0]!).ToList();
        Assert.Equal(["secret-1", "secret-2"], added.Select(u => u.SecurityStamp));
        _ports.Secrets.Received(2).NewSecret(16);
    }

    [Fact]
    public async Task Handle_NewEmail_AuditsRegistrationAndReturnsUser()
    {
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("hash");

        var result = await Register();

        var added = SingleAddedUser();
        var audit = _ports.SingleAudit(AuditEventTypes.UserRegistered);
        Assert.Equal(added.Id, audit.UserId);
        Assert.Null(audit.ActorId);
        Assert.All(_ports.AuditDetailValues(), v => Assert.DoesNotContain(RawPassword, v, StringComparison.Ordinal));
        Assert.Equal(added.Id, result.Value.Id);
        Assert.Equal("new@example.com", result.Value.Email);
        Assert.Equal("Newcomer", result.Value.Name);
        Assert.Equal("user", result.Value.Role);
        Assert.Equal(added.CreatedAt, result.Value.CreatedAt);
    }

    [Fact]
    public async Task Handle_TwoRegistrations_GiveDistinctIds()
    {
        _ports.Hasher.Hash(Arg.Any<string>()).Returns("hash");

        var first = await Register(email: "one@example.com");
        var second = await Register(email: "two@example.com");

        Assert.NotEqual(first.Value.Id, second.Value.Id);
    }
}
