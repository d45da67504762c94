using AuthPlatform.Application.Auth.RevokeAllSessions;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Auth;

public sealed class SessionLivenessTests
{
    private readonly Ports _ports = new();
    private readonly User _user;

    public SessionLivenessTests() => _user = _ports.NewUser();

    private Task<Result> Check(Guid userId, Guid? sessionId) =>
        _ports.Liveness.RequireLiveAsync(Ports.PasswordCaller(userId, sessionId), CancellationToken.None);

    private RefreshTokenFamily Stored()
    {
        var family = _ports.StoredFamily(_user.Id, "refresh-0");
        _ports.Families.FindByIdAsync(family.Id, Arg.Any<CancellationToken>()).Returns(family);
        return family;
    }

    [Fact]
    public async Task RequireLiveAsync_ActiveSessionOfTheCaller_Succeeds()
    {
        var family = Stored();

        Assert.True((await Check(_user.Id, family.Id)).IsSuccess);
    }

    [Fact]
    public async Task RequireLiveAsync_RevokedSession_AnswersInvalidToken()
    {
        var family = Ports.RevokedInStore(Stored(), RevocationReasons.Logout, _ports.Clock.GetUtcNow());

        Assert.Equal(ErrorCodes.InvalidToken, (await Check(_user.Id, family.Id)).Error!.Code);
    }

    [Fact]
    public async Task RequireLiveAsync_ExpiredSession_AnswersInvalidToken()
    {
        var family = Stored();
        _ports.Clock.Advance(_ports.Jwt.RefreshTokenLifetime);

        Assert.Equal(ErrorCodes.InvalidToken, (await Check(_user.Id, family.Id)).Error!.Code);
    }

    [Fact]
    public async Task RequireLiveAsync_SessionOfAnotherUser_AnswersInvalidToken()
    {
        var family = Stored();

        Assert.Equal(ErrorCodes.InvalidToken, (await Check(Guid.NewGuid(), family.Id)).Error!.Code);
    }

    [Fact]
    public async Task RequireLiveAsync_UnknownOrNoSession_AnswersInvalidToken()
    {
        Assert.Equal(ErrorCodes.InvalidToken, (await Check(_user.Id, Guid.NewGuid())).Error!.Code);
        Assert.Equal(ErrorCodes.InvalidToken, (await Check(_user.Id, null)).Error!.Code);
    }

    [Fact]
    public async Task RevokeAllSessions_Always_RotatesTheStampRevokesEverySessionAndAudits()
    {
        var stamp = _user.SecurityStamp;

        var result = await new RevokeAllSessionsHandler(_ports.Callers, _ports.Families, _ports.Secrets, _ports.Clock)
            .Handle(new RevokeAllSessionsCommand(Ports.PasswordCaller(_user.Id, Guid.NewGuid())), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.NotEqual(stamp, _user.SecurityStamp);
        await _ports.Families.Received(1).RevokeAllForUserAsync(
            _user.Id, null, RevocationReasons.SignedOutEverywhere, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        Assert.Equal(_user.Id, _ports.SingleAudit(AuditEventTypes.SessionsRevokedAll).UserId);
    }
}
