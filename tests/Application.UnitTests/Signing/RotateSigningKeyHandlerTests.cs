using AuthPlatform.Application.Admin.RotateSigningKey;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Common;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Signing;

public sealed class RotateSigningKeyHandlerTests
{
    private readonly Ports _ports = new();
    private readonly SigningPorts _signing = new();
    private readonly Guid _admin = Guid.NewGuid();

    private DateTimeOffset Now => _ports.Clock.GetUtcNow();

    private TimeSpan RetiredKeyPublication => _ports.Jwt.AccessTokenLifetime + _ports.Jwt.ClockSkew;

    private Task<Result<RotateSigningKeyResponse>> Rotate() =>
        new RotateSigningKeyHandler(
                _signing.Keys, _signing.Material, _signing.Ring, _ports.AfterCommit, _ports.DomainEvents, Options.Create(_ports.Jwt), _ports.Clock)
            .Handle(new RotateSigningKeyCommand(_admin), CancellationToken.None).AsTask();

    [Fact]
    public async Task Handle_WithSigningKey_AddsNewKeyPublishedNowAndSigningAfterTheDelay()
    {
        _signing.StoredKey("old", Now - TimeSpan.FromDays(30));
        _ports.Jwt.KeyActivationDelay = TimeSpan.FromMinutes(7);

        var result = await Rotate();

        Assert.True(result.IsSuccess);
        var added = Assert.Single(_signing.AddedKeys());
        Assert.Equal("kid-1", added.KeyId);
        Assert.Equal(Now, added.CreatedAt);
        Assert.Equal(Now + TimeSpan.FromMinutes(7), added.ActivatesAt);
        Assert.Null(added.RetiredAt);
        Assert.True(added.IsPublished(Now));
        Assert.False(added.CanSign(Now));
    }

    [Fact]
    public async Task Handle_WithSigningKey_RetiresItWhenTheNewKeyActivates()
    {
        var old = _signing.StoredKey("old", Now - TimeSpan.FromDays(30));

        await Rotate();

        var added = Assert.Single(_signing.AddedKeys());
        Assert.Equal(added.ActivatesAt, old.RetiredAt);
        Assert.Equal(added.ActivatesAt + RetiredKeyPublication, old.PublishedUntil);
        Assert.True(old.CanSign(added.ActivatesAt - TimeSpan.FromTicks(1)));
        Assert.False(old.CanSign(added.ActivatesAt));
    }

    [Fact]
    public async Task Handle_WithKeyPendingFromEarlierRotation_RetiresBothCurrentKeys()
    {
        var signing = _signing.StoredKey("signing", Now - TimeSpan.FromDays(30));
        var pending = _signing.StoredKey("pending", Now - TimeSpan.FromMinutes(2), Now + TimeSpan.FromMinutes(8));

        await Rotate();

        var added = Assert.Single(_signing.AddedKeys());
        Assert.Equal(added.ActivatesAt, signing.RetiredAt);
        Assert.Equal(added.ActivatesAt, pending.RetiredAt);
    }

    [Fact]
    public async Task Handle_WithAlreadyRetiredKey_KeepsItsRetirement()
    {
        var retired = _signing.StoredKey("retired", Now - TimeSpan.FromDays(60));
        var retiredAt = Now - TimeSpan.FromDays(30);
        retired.Retire(retiredAt, TimeSpan.FromHours(1));
        _signing.StoredKey("current", Now - TimeSpan.FromDays(30));

        await Rotate();

        Assert.Equal(retiredAt, retired.RetiredAt);
        Assert.Equal(retiredAt + TimeSpan.FromHours(1), retired.PublishedUntil);
    }

    [Fact]
    public async Task Handle_Always_AnswersTheNewKidAndAuditsTheRotationWithTheAdminAsActor()
    {
        _signing.StoredKey("old", Now - TimeSpan.FromDays(30));

        var result = await Rotate();

        Assert.Equal("kid-1", result.Value.Kid);
        var audit = _ports.SingleAudit(AuditEventTypes.SigningKeyRotated);
        Assert.Equal("signing_key.rotated", audit.Type);
        Assert.Null(audit.UserId);
        Assert.Equal("kid-1", audit.Details!["kid"]);
        Assert.All(Ports.DetailValues(audit), v => Assert.DoesNotContain("protected-", v, StringComparison.Ordinal));
        Assert.Equal(_admin, audit.ActorId);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public async Task Handle_WithConfiguredAlgorithm_GeneratesKeyOfThatAlgorithm(string algorithm)
    {
        _ports.Jwt.SigningAlgorithm = algorithm;

        await Rotate();

        _signing.Material.Received(1).Generate(algorithm);
        Assert.Equal(algorithm, Assert.Single(_signing.AddedKeys()).Algorithm);
    }

    [Fact]
    public async Task Handle_Always_ReloadsTheKeyRingOnlyWhenTheEnqueuedActionRuns()
    {
        _signing.StoredKey("old", Now - TimeSpan.FromDays(30));

        await Rotate();

        _ports.AfterCommit.ReceivedWithAnyArgs(1).Enqueue(default!);
        await _signing.Ring.DidNotReceiveWithAnyArgs().ReloadAsync(default);

        await _ports.CommitAsync();

        await _signing.Ring.Received(1).ReloadAsync(Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_WithNegativeActivationDelay_ThrowsDomainExceptionAndChangesNothing()
    {
        var old = _signing.StoredKey("old", Now - TimeSpan.FromDays(30));
        _ports.Jwt.KeyActivationDelay = TimeSpan.FromMinutes(-1);

        await Assert.ThrowsAsync<DomainException>(Rotate);

        Assert.Null(old.RetiredAt);
        Assert.Empty(_signing.AddedKeys());
        Assert.Empty(_ports.AuditCalls());
        _ports.AfterCommit.DidNotReceiveWithAnyArgs().Enqueue(default!);
    }
}
