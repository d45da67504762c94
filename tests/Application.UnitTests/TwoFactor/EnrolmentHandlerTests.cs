using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.TwoFactor.Common;
using AuthPlatform.Application.TwoFactor.DisableTwoFactor;
using AuthPlatform.Application.TwoFactor.EnableTwoFactor;
using AuthPlatform.Application.TwoFactor.SetupTwoFactor;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Domain.Audit;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.TwoFactor;

/// <summary>Setting up, enabling and disabling 2FA: the password or a factor first, then a new security stamp.</summary>
public sealed class EnrolmentHandlerTests
{
    private const string RightPassword = "current password 1";
    private const string NewSecret = "KRSXG5CTMVRXEZLU";

    private readonly Ports _ports = new();
    private readonly Guid _sessionId = Guid.NewGuid();

    public EnrolmentHandlerTests()
    {
        _ports.Totp.NewSecret().Returns(NewSecret);
        _ports.Totp.BuildUri(Arg.Any<string>(), NewSecret).Returns("otpauth://totp/x");
        _ports.Hasher.Verify("stored-hash", RightPassword).Returns(PasswordCheck.Success);
        _ports.Hasher.Verify("stored-hash", Arg.Is<string>(p => p != RightPassword)).Returns(PasswordCheck.Failed);
        _ports.Hasher.Hash(Arg.Any<string>()).Returns(call => Ports.SlowHashOf(call.Arg<string>()));
    }

    private IQrCodeRenderer Qr { get; } = Substitute.For<IQrCodeRenderer>();

    private Task<Result<TwoFactorSetupResponse>> Setup(User user, string password) =>
        new SetupTwoFactorHandler(_ports.Callers, _ports.PasswordConfirmation, _ports.Totp, _ports.Protector, Qr)
            .Handle(new SetupTwoFactorCommand(user.Id, password), CancellationToken.None).AsTask();

    private Task<Result<RecoveryCodesResponse>> Enable(User user, string code, string password) =>
        new EnableTwoFactorHandler(_ports.Callers, _ports.PasswordConfirmation, _ports.SecondFactor, _ports.RecoveryCodes, _ports.Families, _ports.Secrets, _ports.UnitOfWork, _ports.Clock)
            .Handle(new EnableTwoFactorCommand(Ports.PasswordCaller(user.Id, _sessionId), code, password), CancellationToken.None).AsTask();

    private Task<Result> Disable(User user, string code) =>
        new DisableTwoFactorHandler(_ports.Callers, _ports.SecondFactor, _ports.Families, _ports.Secrets, _ports.UnitOfWork, _ports.Clock)
            .Handle(new DisableTwoFactorCommand(Ports.PasswordCaller(user.Id, _sessionId), code, null), CancellationToken.None).AsTask();

    private User PendingUser()
    {
        var user = _ports.NewUser();
        user.BeginTwoFactorSetup(Ports.Protected(NewSecret));
        _ports.TotpCode("123456", Ports.StartStep, NewSecret);
        return user;
    }

    [Fact]
    public async Task Setup_WrongPassword_RefusesCountsTheFailureAndStoresNoSecret()
    {
        var user = _ports.NewUser();

        var result = await Setup(user, "not my password");

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.True(result.KeepsChanges);
        Assert.Null(user.PendingTotpSecret);
        await _ports.FailureCountedAsync(user);
        Assert.Equal(FailureReasons.WrongCurrentPassword, _ports.SingleAudit(AuditEventTypes.LoginFailed).Details!["reason"]);
        _ports.Totp.DidNotReceive().NewSecret();
    }

    [Fact]
    public async Task Setup_LockedAccount_AnswersLockedWithoutCheckingThePassword()
    {
        var user = _ports.NewUser();
        _ports.AddressBudgetRefuses();

        var result = await Setup(user, RightPassword);

        Assert.Equal(ErrorCodes.AccountLocked, result.Error!.Code);
        _ports.Hasher.DidNotReceiveWithAnyArgs().Verify(default!, default!);
        await _ports.NoFailureCountedAsync();
    }

    [Fact]
    public async Task Setup_RightPassword_StoresThePendingSecretAndAnswersIt()
    {
        var user = _ports.NewUser();

        var result = await Setup(user, RightPassword);

        Assert.Equal(NewSecret, result.Value.Secret);
        Assert.Equal(Ports.Protected(NewSecret), user.PendingTotpSecret);
        Assert.False(user.TwoFactorEnabled);
    }

    [Fact]
    public async Task Enable_WrongPassword_RefusesCountsAndClaimsNoCode()
    {
        var user = PendingUser();

        var result = await Enable(user, "123456", "not my password");

        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
        Assert.False(user.TwoFactorEnabled);
        await _ports.FailureCountedAsync(user);
        _ports.Totp.DidNotReceiveWithAnyArgs().Match(default!, default!, default);
        await _ports.SecondFactorStore.DidNotReceiveWithAnyArgs().TryAdvanceTotpStepAsync(default, default, default);
    }

    [Fact]
    public async Task Enable_RightPasswordAndCode_RotatesTheStampAndRevokesEveryOtherSession()
    {
        var user = PendingUser();
        var stamp = user.SecurityStamp;

        var result = await Enable(user, "123456", RightPassword);

        Assert.True(result.IsSuccess);
        Assert.True(user.TwoFactorEnabled);
        Assert.NotEqual(stamp, user.SecurityStamp);
        await _ports.Families.Received(1).RevokeAllForUserAsync(
            user.Id, _sessionId, RevocationReasons.TwoFactorChanged, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
        Assert.Contains(_ports.Events(), e => e is SecurityStampRotated r && r.UserId == user.Id);
    }

    [Fact]
    public async Task Disable_RightCode_RotatesTheStampAndRevokesEveryOtherSession()
    {
        var user = _ports.TwoFactorUser();
        _ports.TotpCode("654321", Ports.StartStep);
        var stamp = user.SecurityStamp;

        var result = await Disable(user, "654321");

        Assert.True(result.IsSuccess);
        Assert.False(user.TwoFactorEnabled);
        Assert.NotEqual(stamp, user.SecurityStamp);
        await _ports.Families.Received(1).RevokeAllForUserAsync(
            user.Id, _sessionId, RevocationReasons.TwoFactorChanged, _ports.Clock.GetUtcNow(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Disable_WrongCode_ChangesNothingAndRevokesNothing()
    {
        var user = _ports.TwoFactorUser();
        var stamp = user.SecurityStamp;

        var result = await Disable(user, "000000");

        Assert.Equal(ErrorCodes.InvalidMfaCode, result.Error!.Code);
        Assert.True(user.TwoFactorEnabled);
        Assert.Equal(stamp, user.SecurityStamp);
        await _ports.Families.DidNotReceiveWithAnyArgs().RevokeAllForUserAsync(default, default, default!, default, default);
    }
}
