using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Refresh;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace AuthPlatform.Application.UnitTests.Auth;

public sealed class RefreshHandlerTests
{
    private readonly Ports _ports = new();
    private readonly User _user;

    public RefreshHandlerTests()
    {
        _user = _ports.NewUser();
    }

    private RefreshHandler Handler() =>
        new(new RefreshTokenRotation(_ports.Families, _ports.Users, _ports.Secrets, _ports.Sessions, _ports.UnitOfWork, _ports.Clock));

    private Task<Result<TokenPair>> Refresh(string token) =>
        Handler().Handle(new RefreshCommand(token), CancellationToken.None).AsTask();

    /// <summary>A family whose first token is <paramref name="token"/>, findable by that token's hash.</summary>
    private RefreshTokenFamily FamilyWith(string token)
    {
        var family = NewFamily(token);
        _ports.Families.FindByTokenHashAsync(Ports.HashOf(token), Arg.Any<CancellationToken>()).Returns(family);
        return family;
    }

    private RefreshTokenFamily NewFamily(string token) => _ports.StoredFamily(_user.Id, token);

    /// <summary>The family as another request left it: it redeemed <paramref name="token"/> first and committed.</summary>
    private RefreshTokenFamily RedeemedElsewhere(string token)
    {
        var family = NewFamily(token);
        Assert.Equal(RotationOutcome.Rotated, family.Rotate(Ports.HashOf(token), Ports.HashOf("other-request"), _ports.Sessions.Lifetimes, _ports.Clock.GetUtcNow()));
        family.DequeueDomainEvents();
        return family;
    }

    [Fact]
    public async Task Handle_UnknownTokenHash_ReturnsInvalidToken()
    {
        var result = await Refresh("never-issued");

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        await _ports.Families.Received(1).FindByTokenHashAsync(Ports.HashOf("never-issued"), Arg.Any<CancellationToken>());
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_CurrentToken_RotatesAndReturnsNewPair()
    {
        var family = FamilyWith("refresh-0");
        _ports.Clock.Advance(TimeSpan.FromMinutes(5));

        var result = await Refresh("refresh-0");

        Assert.True(result.IsSuccess);
        var pair = result.Value;
        Assert.Equal("secret-1", pair.RefreshToken);
        Assert.NotEqual("refresh-0", pair.RefreshToken);
        Assert.Equal($"jwt-{family.Id}", pair.Token);
        Assert.Equal("Bearer", pair.TokenType);
        Assert.Equal(3600, pair.ExpiresIn);
        var current = family.Tokens.Single(t => t.Id == family.CurrentTokenId);
        Assert.Equal(Ports.HashOf("secret-1"), current.TokenHash);
        Assert.NotNull(family.Tokens.Single(t => t.TokenHash == Ports.HashOf("refresh-0")).RedeemedAt);
        Assert.Null(family.RevokedAt);
        await _ports.UnitOfWork.Received(1).SaveChangesAsync(Arg.Any<CancellationToken>());
        _ports.UnitOfWork.DidNotReceive().DiscardChanges();
        var audit = _ports.SingleAudit(AuditEventTypes.TokenRefreshed);
        Assert.Equal(_user.Id, audit.UserId);
        Assert.Equal(family.Id, audit.Details!["session"]);
        Assert.All(_ports.AuditDetailValues(), v => Assert.DoesNotContain("secret-", v, StringComparison.Ordinal));
        var request = _ports.SingleAccessTokenRequest();
        Assert.Equal(family.Id, request.SessionId);
        Assert.Equal(family.AuthenticatedAt, request.AuthenticatedAt);
    }

    [Fact]
    public async Task Handle_SessionOfADemotedAdministrator_IssuesTheScopesTheRoleGrantsNow()
    {
        // The login granted admin; the user is a plain user now: the session's scopes are only a cap.
        var family = RefreshTokenFamily.Start(
            Guid.NewGuid(), _user.Id, Ports.HashOf("refresh-0"), ScopeSet.Parse("profile admin models.read"), ["pwd"], null, null,
            _ports.Sessions.Lifetimes, _ports.Clock.GetUtcNow());
        family.DequeueDomainEvents();
        _ports.Track(family);
        _ports.Families.FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>()).Returns(family);

        await Refresh("refresh-0");

        var request = _ports.SingleAccessTokenRequest();
        Assert.Equal(["profile", "models.read"], request.Scopes.ToArray());
        Assert.Equal("user", request.Role);
        Assert.Equal(ScopeSet.Parse("profile admin models.read"), family.Scopes); // the cap is kept as the login set it
    }

    [Fact]
    public async Task Handle_ScopeTheOperatorNoLongerOffers_IsLeftOutOfTheNewToken()
    {
        var family = RefreshTokenFamily.Start(
            Guid.NewGuid(), _user.Id, Ports.HashOf("refresh-0"), ScopeSet.Parse("profile models.read"), ["pwd"], null, null,
            _ports.Sessions.Lifetimes, _ports.Clock.GetUtcNow());
        family.DequeueDomainEvents();
        _ports.Families.FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>()).Returns(family);
        _ports.ScopeCatalog.OperatorScopes.Returns(["objects.read"]);

        await Refresh("refresh-0");

        Assert.Equal(["profile"], _ports.SingleAccessTokenRequest().Scopes.ToArray());
    }

    [Fact]
    public async Task Handle_CurrentToken_BindsTheNewAccessTokenToTheUsersCurrentStamp()
    {
        FamilyWith("refresh-0");
        _user.ChangePassword("hash-2", "stamp-after-change", _ports.Clock.GetUtcNow());

        await Refresh("refresh-0");

        Assert.Equal(SecurityStamps.Fingerprint("stamp-after-change"), _ports.SingleAccessTokenRequest().StampFingerprint);
    }

    [Fact]
    public async Task Handle_CurrentToken_SignsTheAccessTokenBeforeTheWritesStart_ThenSaves()
    {
        FamilyWith("refresh-0");

        await Refresh("refresh-0");

        // ADR 0015: the write lock (SQLite's, and the writer gate) is held for the save only.
        Received.InOrder(() =>
        {
            _ports.Families.FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>());
            _ports.AccessTokens.IssueAsync(Arg.Any<AccessTokenRequest>(), Arg.Any<CancellationToken>());
            _ports.UnitOfWork.StartWritesAsync(Arg.Any<CancellationToken>());
            _ports.UnitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task Handle_ReusedToken_RevokesFamilyInTheStoreAndRefusesWithReuse()
    {
        var family = FamilyWith("refresh-0");
        Assert.True((await Refresh("refresh-0")).IsSuccess);
        _ports.ForgetEvents();
        _ports.AccessTokens.ClearReceivedCalls();
        _ports.Clock.Advance(TimeSpan.FromMinutes(1));

        var replay = await Refresh("refresh-0");

        Assert.False(replay.IsSuccess);
        Assert.Equal(ErrorCodes.RefreshTokenReused, replay.Error!.Code);
        Assert.True(replay.KeepsChanges);
        // One atomic conditional update revokes the whole family (ADR 0009); the aggregate only reports.
        await _ports.Families.Received(1).RevokeAsync(family.Id, RevocationReasons.Reuse, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        var audit = _ports.SingleAudit(AuditEventTypes.RefreshTokenReused);
        Assert.Equal(_user.Id, audit.UserId);
        Assert.Equal(family.Id, audit.Details!["session"]);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type is AuditEventTypes.TokenRefreshed or AuditEventTypes.SessionRevoked);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
    }

    [Fact]
    public async Task Handle_NewestTokenAfterReuse_ReturnsInvalidToken()
    {
        var family = FamilyWith("refresh-0");
        var rotated = await Refresh("refresh-0");
        _ports.Families.FindByTokenHashAsync(Ports.HashOf(rotated.Value.RefreshToken), Arg.Any<CancellationToken>()).Returns(family);
        await Refresh("refresh-0");
        await _ports.Families.Received(1).RevokeAsync(family.Id, RevocationReasons.Reuse, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        Ports.RevokedInStore(family, RevocationReasons.Reuse, _ports.Clock.GetUtcNow()); // as the next request loads it
        _ports.AccessTokens.ClearReceivedCalls();

        var newest = await Refresh(rotated.Value.RefreshToken);

        Assert.Equal(ErrorCodes.InvalidToken, newest.Error!.Code);
        Assert.False(newest.KeepsChanges);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        await _ports.Families.Received(1).RevokeAsync(Arg.Any<Guid>(), Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_ExpiredToken_ReturnsInvalidToken()
    {
        var family = FamilyWith("refresh-0");
        _ports.Clock.Advance(_ports.Jwt.RefreshTokenLifetime);

        var result = await Refresh("refresh-0");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        Assert.Single(family.Tokens);
        Assert.Null(family.RevokedAt);
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAsync(default, default!, default, default);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_DisabledUser_DiscardsRotationAndReturnsInvalidToken()
    {
        FamilyWith("refresh-0");
        _user.Disable(Guid.NewGuid(), "stamp-disabled", _ports.Clock.GetUtcNow());

        var result = await Refresh("refresh-0");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        _ports.UnitOfWork.Received().DiscardChanges();
        await _ports.UnitOfWork.DidNotReceive().SaveChangesAsync(Arg.Any<CancellationToken>());
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.TokenRefreshed);
    }

    [Fact]
    public async Task Handle_DeletedUser_ReturnsInvalidToken()
    {
        var family = NewFamily("orphan-0");
        _ports.Families.FindByTokenHashAsync(Ports.HashOf("orphan-0"), Arg.Any<CancellationToken>()).Returns(family);
        _ports.Users.FindByIdAsync(family.UserId, Arg.Any<CancellationToken>()).Returns((User?)null);

        var result = await Refresh("orphan-0");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        _ports.UnitOfWork.Received().DiscardChanges();
        await _ports.AccessTokens.DidNotReceiveWithAnyArgs().IssueAsync(default!, default);
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.TokenRefreshed);
    }

    [Fact]
    public async Task Handle_ConcurrencyConflictOnSave_ReloadsFamilyRevokesItAndReportsReuse()
    {
        var family = NewFamily("refresh-0");
        var reloaded = RedeemedElsewhere("refresh-0");
        _ports.Families.FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>()).Returns(family, reloaded);
        _ports.UnitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>())
            .Returns(Task.FromException(new ConcurrencyConflictException("conflict", new InvalidOperationException())));

        var result = await Refresh("refresh-0");

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.RefreshTokenReused, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        _ports.UnitOfWork.Received(1).DiscardChanges();
        await _ports.Families.Received(2).FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>());
        await _ports.Families.Received(1).RevokeAsync(reloaded.Id, RevocationReasons.Reuse, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        Assert.Single(_ports.AuditCalls(), c => c.Type == AuditEventTypes.RefreshTokenReused && c.UserId == _user.Id);
        // The lost rotation's event was discarded with it.
        Assert.DoesNotContain(_ports.AuditCalls(), c => c.Type == AuditEventTypes.TokenRefreshed);
        // The access token signed before the failed compare-and-swap is never answered (a failure carries no value).
        await _ports.AccessTokens.Received(1).IssueAsync(Arg.Any<AccessTokenRequest>(), Arg.Any<CancellationToken>());
        Received.InOrder(() =>
        {
            _ports.Families.FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>());
            _ports.UnitOfWork.StartWritesAsync(Arg.Any<CancellationToken>());
            _ports.UnitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>());
            _ports.UnitOfWork.DiscardChanges();
            _ports.Families.FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>());
            _ports.UnitOfWork.StartWritesAsync(Arg.Any<CancellationToken>()); // a no-op when open: the revocation is inside the transaction
            _ports.Families.RevokeAsync(reloaded.Id, RevocationReasons.Reuse, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        });
    }

    [Fact]
    public async Task Handle_ConcurrencyConflictWithTheFamilyRevokedMeanwhile_ReturnsInvalidTokenWithoutRetrying()
    {
        var family = NewFamily("refresh-0");
        var reloaded = Ports.RevokedInStore(NewFamily("refresh-0"), RevocationReasons.Logout, _ports.Clock.GetUtcNow());
        _ports.Families.FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>()).Returns(family, reloaded);
        _ports.UnitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>())
            .ThrowsAsync(new ConcurrencyConflictException("conflict", new InvalidOperationException()));

        var result = await Refresh("refresh-0");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        await _ports.UnitOfWork.Received(1).SaveChangesAsync(Arg.Any<CancellationToken>());
        _ports.UnitOfWork.Received(1).DiscardChanges();
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAsync(default, default!, default, default);
        await _ports.AccessTokens.Received(1).IssueAsync(Arg.Any<AccessTokenRequest>(), Arg.Any<CancellationToken>()); // signed before the save, never answered
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task Handle_ConcurrencyConflictAndFamilyGone_ReturnsInvalidToken()
    {
        var family = NewFamily("refresh-0");
        _ports.Families.FindByTokenHashAsync(Ports.HashOf("refresh-0"), Arg.Any<CancellationToken>()).Returns(family, (RefreshTokenFamily?)null);
        _ports.UnitOfWork.SaveChangesAsync(Arg.Any<CancellationToken>())
            .ThrowsAsync(new ConcurrencyConflictException("conflict", new InvalidOperationException()));

        var result = await Refresh("refresh-0");

        Assert.Equal(ErrorCodes.InvalidToken, result.Error!.Code);
        _ports.UnitOfWork.Received(1).DiscardChanges();
    }
}
