using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

public sealed class StepUpTests
{
    private readonly Ports _ports = new();

    private static CallerIdentity Caller(User user, IReadOnlyList<string> amr, DateTimeOffset? authenticatedAt) =>
        new(user.Id.ToString(), user.Id, AuthMethods.Jwt, ["profile"], AuthenticationMethods: amr, AuthenticatedAt: authenticatedAt);

    private Task<(Error Error, bool KeepChanges)?> Require(CallerIdentity caller, User user) =>
        _ports.StepUp.RequireAsync(caller, user, CancellationToken.None);

    [Fact]
    public async Task RequireAsync_TwoFactorOff_ReturnsNull()
    {
        var user = _ports.NewUser();

        var refusal = await Require(Caller(user, ["pwd"], null), user);

        Assert.Null(refusal);
    }

    [Fact]
    public async Task RequireAsync_OtpSessionNineMinutesOld_ReturnsNullWithoutAskingForACode()
    {
        var user = _ports.TwoFactorUser();
        var caller = Caller(user, ["pwd", "otp"], _ports.Clock.GetUtcNow());
        _ports.Clock.Advance(TimeSpan.FromMinutes(9));
        _ports.Client.SecondFactorCode.Returns("000000");

        var refusal = await Require(caller, user);

        Assert.Null(refusal);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        Assert.Equal(0, user.FailedLoginCount);
    }

    [Fact]
    public async Task RequireAsync_OtpSessionElevenMinutesOld_ReturnsMfaRequired()
    {
        var user = _ports.TwoFactorUser();
        var caller = Caller(user, ["pwd", "otp"], _ports.Clock.GetUtcNow());
        _ports.Clock.Advance(TimeSpan.FromMinutes(11));

        var refusal = await Require(caller, user);

        Assert.NotNull(refusal);
        Assert.Equal(ErrorCodes.MfaRequired, refusal.Value.Error.Code);
        Assert.False(refusal.Value.KeepChanges);
    }

    [Fact]
    public async Task RequireAsync_OtpInAmrWithoutAuthTime_ReturnsMfaRequired()
    {
        var user = _ports.TwoFactorUser();

        var refusal = await Require(Caller(user, ["pwd", "otp"], null), user);

        Assert.Equal(ErrorCodes.MfaRequired, refusal!.Value.Error.Code);
    }

    [Fact]
    public async Task RequireAsync_FreshPasswordOnlySessionWithoutHeader_ReturnsMfaRequiredWithoutCountingAFailure()
    {
        var user = _ports.TwoFactorUser();

        var refusal = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user);

        Assert.NotNull(refusal);
        Assert.Equal(ErrorCodes.MfaRequired, refusal.Value.Error.Code);
        Assert.False(refusal.Value.KeepChanges);
        Assert.Equal(0, user.FailedLoginCount);
        Assert.Empty(_ports.AuditCalls());
    }

    [Fact]
    public async Task RequireAsync_PasswordOnlySessionWithValidHeaderCode_ReturnsNullAndClaimsTheStep()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.Client.SecondFactorCode.Returns("123456");

        var refusal = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user);

        Assert.Null(refusal);
        await _ports.SecondFactorStore.Received(1).TryAdvanceTotpStepAsync(user.Id, Ports.StartStep, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RequireAsync_PasswordOnlySessionWithWrongHeaderCode_ReturnsInvalidMfaCodeKeepingTheFailure()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.Client.SecondFactorCode.Returns("999999");

        var refusal = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user);

        Assert.NotNull(refusal);
        Assert.Equal(ErrorCodes.InvalidMfaCode, refusal.Value.Error.Code);
        Assert.True(refusal.Value.KeepChanges);
        Assert.Equal(1, user.FailedLoginCount);
        Assert.Equal("reason=step_up", _ports.SingleAudit(AuditEventTypes.MfaFailed).Details);
    }

    [Fact]
    public async Task RequireAsync_ReplayedHeaderCode_ReturnsInvalidMfaCode()
    {
        var user = _ports.TwoFactorUser(lastStep: Ports.StartStep);
        _ports.TotpCode("123456", Ports.StartStep);
        _ports.Client.SecondFactorCode.Returns("123456");

        var refusal = await Require(Caller(user, ["pwd"], _ports.Clock.GetUtcNow()), user);

        Assert.Equal(ErrorCodes.InvalidMfaCode, refusal!.Value.Error.Code);
    }

    [Fact]
    public async Task RequireAsync_ApiKeyCallerWithoutHeader_ReturnsMfaRequired()
    {
        var user = _ports.TwoFactorUser();
        var caller = new CallerIdentity(user.Id.ToString(), user.Id, AuthMethods.ApiKey, ["api_keys:write"], ApiKeyId: Guid.NewGuid());

        var refusal = await Require(caller, user);

        Assert.Equal(ErrorCodes.MfaRequired, refusal!.Value.Error.Code);
    }
}
