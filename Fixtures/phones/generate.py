#!/usr/bin/env python3
"""Write the recorded phone answers the fake adb and fake ideviceinfo replay.

    python3 Fixtures/phones/generate.py

Each folder under android/ holds what one phone answers to the three commands tmdiag sends
(getprop.txt, telephony.registry.txt, phone.txt); each folder under ios/ what one iPhone's
lockdown answers without pairing (simple.txt) and with it (full.txt, or full.err when it does
not trust the computer). The layouts are AOSP's toString()/dump formats as each Android version
prints them (see Sources/Kit/Adapters/Android/TelephonyRegistryDump.swift for the sources);
values are made up but plausible (T-Mobile US 310-260, Vodafone UK 234-15, Verizon 311-480).
Identifiers are test numbers: IMEIs with a valid Luhn digit from reserved-looking TACs.
Deterministic, standard library only.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MAX = 2147483647


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def getprop(props):
    return "".join(f"[{k}]: [{v}]\n" for k, v in props)


def base_props(manufacturer, model, release, sdk, patch, fingerprint, baseband):
    return [
        ("dalvik.vm.heapsize", "512m"),
        ("gsm.version.baseband", baseband),
        ("gsm.version.ril-impl", "Qualcomm RIL 1.0"),
        ("persist.sys.timezone", "America/Los_Angeles"),
        ("ro.build.fingerprint", fingerprint),
        ("ro.build.version.release", release),
        ("ro.build.version.sdk", sdk),
        ("ro.build.version.security_patch", patch),
        ("ro.product.manufacturer", manufacturer),
        ("ro.product.model", model),
        ("ro.serialno", "HIDDEN"),
    ]


def cell_lte(mcc, mnc, earfcn, alpha):
    return (f"CellIdentityLte:{{ mCi=**** mPci=*** mTac=**** mEarfcn={earfcn} mBands=[66] mBandwidth=20000 "
            f"mMcc={mcc} mMnc={mnc} mAlphaLong={alpha} mAlphaShort={alpha} mAdditionalPlmns={{}} mCsgInfo=null}}")


def cell_nr(mcc, mnc, alpha):
    return (f"CellIdentityNr:{{ mPci = *** mTac = **** mNrArfcn = 520110 mBands = [41] mMcc = {mcc} mMnc = {mnc} "
            f"mNci = **** mAlphaLong = {alpha} mAlphaShort = {alpha} mAdditionalPlmns = {{}} }}")


def nri(domain, state, tech, reject=0, roaming="NOT_ROAMING", nr="NONE", rplmn=None, cell="null",
        version=14, transport="WWAN"):
    services = "[VOICE,SMS,VIDEO]" if domain == "CS" else "[DATA]"
    net_state = f" networkRegistrationState={state if state != 'ROAMING' else 'HOME'}" if version >= 15 else ""
    dsi = ("null" if domain == "CS" else
           "android.telephony.DataSpecificRegistrationInfo :{ maxDataCalls = 16 isDcNrRestricted = false "
           "isNrAvailable = true isEnDcAvailable = true mLteAttachResultType = 1 mLteAttachExtraInfo = 0 "
           "LteVopsSupportInfo :  mVopsSupport = 2 mEmcBearerSupport = 3 }")
    vsi = ("VoiceSpecificRegistrationInfo { mCssSupported=false mRoamingIndicator=0 mSystemIsInPrl=0 "
           "mDefaultRoamingIndicator=0}" if domain == "CS" else "null")
    tail = f" nrState={nr}" + (f" rRplmn={rplmn}" if rplmn is not None and version >= 11 else "")
    if version >= 12:
        tail += " isUsingCarrierAggregation=false"
    return (f"NetworkRegistrationInfo{{ domain={domain} transportType={transport} registrationState={state}"
            f"{net_state} roamingType={roaming} accessNetworkTechnology={tech} rejectCause={reject} "
            f"emergencyEnabled=false availableServices={services} cellIdentity={cell} "
            f"voiceSpecificInfo={vsi} dataSpecificInfo={dsi}{tail}}}")


def service_state(version, voice, data, alpha, nris, voice_tech="14(LTE)", data_tech="14(LTE)",
                  roaming_word="home"):
    reg = {0: "IN_SERVICE", 1: "OUT_OF_SERVICE", 2: "EMERGENCY_ONLY", 3: "POWER_OFF"}
    head = (f"{{mVoiceRegState={voice}({reg[voice]}), mDataRegState={data}({reg[data]}), mChannelNumber=66786, "
            f"duplexMode()=1, mCellBandwidths=[20000]")
    alpha_v = alpha if alpha is not None else "null"
    if version == 10:
        names = (f", mVoiceRoamingType={roaming_word}, mDataRoamingType={roaming_word}, "
                 f"mVoiceOperatorAlphaLong={alpha_v}, mVoiceOperatorAlphaShort={alpha_v}, "
                 f"mDataOperatorAlphaLong={alpha_v}, mDataOperatorAlphaShort={alpha_v}, "
                 f"isManualNetworkSelection=false(automatic), mRilVoiceRadioTechnology={voice_tech}, "
                 f"mRilDataRadioTechnology={data_tech}")
    else:
        names = (f", mOperatorAlphaLong={alpha_v}, mOperatorAlphaShort={alpha_v}, "
                 f"isManualNetworkSelection=false(automatic), getRilVoiceRadioTechnology={voice_tech}, "
                 f"getRilDataRadioTechnology={data_tech}")
    rest = (", mCssIndicator=unsupported, mNetworkId=-1, mSystemId=-1, mCdmaRoamingIndicator=-1, "
            "mCdmaDefaultRoamingIndicator=-1, mIsEmergencyOnly=false, isUsingCarrierAggregation=false, "
            "mArfcnRsrpBoost=0, mNetworkRegistrationInfos=[" + ", ".join(nris) + "], mNrFrequencyRange=-1")
    if version >= 11:
        rest += f", mOperatorAlphaLongRaw={alpha_v}, mOperatorAlphaShortRaw={alpha_v}, mIsDataRoamingFromRegistration=false"
    rest += ", mIsIwlanPreferred=false"
    if version >= 15:
        rest += ", mIsNonTerrestrialNetwork=false"
    return head + names + rest + "}"


def signal(lte=None, nr=None, wcdma=None, gsm=None, primary="CellSignalStrengthLte"):
    def v(x):
        return MAX if x is None else x
    rsrp, rsrq, snr, rssi = lte or (None, None, None, None)
    ss_rsrp, ss_rsrq, ss_sinr = nr or (None, None, None)
    rscp, ecno = wcdma or (None, None)
    return ("SignalStrength:{"
            f"mCdma=CellSignalStrengthCdma: cdmaDbm={MAX} cdmaEcio={MAX} evdoDbm={MAX} evdoEcio={MAX} evdoSnr={MAX} level=0,"
            f"mGsm=CellSignalStrengthGsm: rssi={v(gsm)} ber={MAX} mTa={MAX} mLevel={2 if gsm else 0},"
            f"mWcdma=CellSignalStrengthWcdma: ss={MAX} ber={MAX} rscp={v(rscp)} ecno={v(ecno)} level={2 if wcdma else 0},"
            f"mTdscdma=CellSignalStrengthTdscdma: rssi={MAX} ber={MAX} rscp={MAX} level=0,"
            f"mLte=CellSignalStrengthLte: rssi={v(rssi)} rsrp={v(rsrp)} rsrq={v(rsrq)} rssnr={v(snr)} "
            f"cqiTableIndex={MAX} cqi={MAX} ta={MAX} level={3 if lte else 0} parametersUseForLevel=0,"
            f"mNr=CellSignalStrengthNr:{{ csiRsrp = {MAX} csiRsrq = {MAX} csiCqiTableIndex = {MAX} csiCqiReport = [] "
            f"ssRsrp = {v(ss_rsrp)} ssRsrq = {v(ss_rsrq)} ssSinr = {v(ss_sinr)} level = {3 if nr else 0} "
            f"parametersUseForLevel = 0 timingAdvance = {MAX} }},"
            f"primary={primary}}}")


def registry(phones):
    out = ["last known state:"]
    for pid, ss, sig in phones:
        out += [
            f"  Phone Id={pid}",
            "    mCallState=0",
            "    mRingingCallState=0",
            "    mForegroundCallState=0",
            "    mPreciseCallState=Ringing call state: 0, Foreground call state: 0, Background call state: 0, "
            "Disconnect cause: -1, Precise disconnect cause: -1",
            "    mCallDisconnectCause=-1",
            "    mCallIncomingNumber=",
            f"    mServiceState={ss}",
            "    mVoiceActivationState= 0",
            "    mDataActivationState= 0",
            "    mUserMobileDataState= true",
            f"    mSignalStrength={sig}",
            "    mMessageWaiting=false",
            "    mCallForwarding=false",
            "    mDataActivity=0",
            "    mDataConnectionState=2",
            "    mSrvccState=-1",
        ]
    out += [
        "  mCarrierNetworkChangeState=false",
        "  mActiveDataSubId=1",
        "  mRadioPowerState=1",
        "local logs:",
        "  2026-12-01T13:58:10.112 - notifyServiceStateForSubscriber: subId=1 phoneId=0 state={mVoiceRegState=1(OUT_OF_SERVICE), mDataRegState=1(OUT_OF_SERVICE)}",
        "",
    ]
    return "\n".join(out)


def phone_dump(ims):
    out = ["DUMP OF SERVICE phone:", "PhoneFactory:", f" sPhones.length={len(ims)}"]
    for i, reg in enumerate(ims):
        out += [
            f"Phone[{i}]:",
            "  GsmCdmaPhone extends:",
            "  mPhoneId=%d" % i,
            "ImsPhone extends:",
            "ImsPhone:",
            "  mDefaultPhone = Handler (com.android.internal.telephony.GsmCdmaPhone) {5e2c1a0}",
            "  mPendingMMIs = []",
            "  mIsPhoneInEcmState = false",
            f"  mImsRegistered = {'true' if reg else 'false'}",
            "  mRoaming = false",
        ]
    return "\n".join(out) + "\n"


def android(name, props, phones, ims, unauthorized=False):
    d = os.path.join(HERE, "android", name)
    if unauthorized:
        write(os.path.join(d, "unauthorized"), "adb answers 'device unauthorized' to every command\n")
        return
    write(os.path.join(d, "getprop.txt"), getprop(props))
    write(os.path.join(d, "telephony.registry.txt"), registry(phones))
    write(os.path.join(d, "phone.txt"), phone_dump(ims))


TMO = ("310", "260", "T-Mobile")


def main():
    # Android 10, Pixel 3, healthy on LTE; no rRplmn in the dump (added in 11): operator numeric from getprop.
    p = base_props("Google", "Pixel 3", "10", "29", "2020-11-05",
                   "google/blueline/blueline:10/QQ3A.200805.001/6578210:user/release-keys",
                   "g845-00194-200723-B-6579320")
    p += [("gsm.sim.state", "READY"), ("gsm.operator.numeric", "310260"), ("gsm.operator.alpha", "T-Mobile"),
          ("gsm.operator.isroaming", "false"), ("gsm.network.type", "LTE"), ("gsm.sim.operator.numeric", "310260"),
          ("gsm.sim.operator.alpha", "T-Mobile")]
    ss = service_state(10, 0, 0, "T-Mobile", [
        nri("CS", "HOME", "LTE", cell=cell_lte(*TMO[:2], 5230, TMO[2]), version=10),
        nri("PS", "HOME", "LTE", cell=cell_lte(*TMO[:2], 5230, TMO[2]), version=10)])
    android("android10-healthy", sorted(p), [(0, ss, signal(lte=(-87, -9, 14, -61)))], [True])

    # Android 12, Galaxy A52 5G: data refused with EMM cause 7 (EPS services not allowed).
    p = base_props("samsung", "SM-A526U", "12", "31", "2022-09-01",
                   "samsung/a52xqcsq/a52xq:12/SP1A.210812.016/A526USQU4BVI1:user/release-keys", "A526USQU4BVI1")
    p += [("gsm.sim.state", "READY"), ("gsm.operator.numeric", "310260"), ("gsm.operator.alpha", "T-Mobile"),
          ("gsm.operator.isroaming", "false"), ("gsm.network.type", "Unknown"), ("gsm.sim.operator.numeric", "310260"),
          ("gsm.sim.operator.alpha", "T-Mobile"), ("ril.imei1", "356938035643809"), ("ril.imei2", "356938035643817")]
    ss = service_state(12, 0, 1, "T-Mobile", [
        nri("CS", "HOME", "UMTS", rplmn="310260", version=12),
        nri("PS", "DENIED", "LTE", reject=7, rplmn="310260", cell=cell_lte(*TMO[:2], 66786, TMO[2]), version=12)],
        voice_tech="3(UMTS)", data_tech="0(Unknown)")
    android("android12-data-denied", sorted(p), [(0, ss, signal(lte=(-95, -11, 9, -66)))], [False])

    # Android 14, Pixel 7 abroad: roaming on Vodafone UK, T-Mobile SIM.
    p = base_props("Google", "Pixel 7", "14", "34", "2024-03-05",
                   "google/panther/panther:14/AP1A.240305.019.A1/11445699:user/release-keys",
                   "g5300g-231013-231110-B-11047426")
    p += [("gsm.sim.state", "LOADED"), ("gsm.operator.numeric", "23415"), ("gsm.operator.alpha", "Vodafone UK"),
          ("gsm.operator.isroaming", "true"), ("gsm.network.type", "LTE"), ("gsm.sim.operator.numeric", "310260"),
          ("gsm.sim.operator.alpha", "T-Mobile")]
    cell = cell_lte("234", "15", 6300, "Vodafone UK")
    ss = service_state(14, 0, 0, "Vodafone UK", [
        nri("CS", "ROAMING", "LTE", roaming="INTERNATIONAL", rplmn="23415", cell=cell),
        nri("PS", "ROAMING", "LTE", roaming="INTERNATIONAL", rplmn="23415", cell=cell),
        nri("PS", "NOT_REG_OR_SEARCHING", "IWLAN", transport="WLAN")])
    android("android14-roaming", sorted(p), [(0, ss, signal(lte=(-101, -13, 4, -72)))], [True])

    # Android 15, Pixel 8 on NR SA with IMS not registered.
    p = base_props("Google", "Pixel 8", "15", "35", "2025-06-05",
                   "google/shiba/shiba:15/BP1A.250505.005/13277524:user/release-keys", "g5300i-250224-250304-B-13183592")
    p += [("gsm.sim.state", "READY"), ("gsm.operator.numeric", "310260"), ("gsm.operator.alpha", "T-Mobile"),
          ("gsm.operator.isroaming", "false"), ("gsm.network.type", "NR"), ("gsm.sim.operator.numeric", "310260"),
          ("gsm.sim.operator.alpha", "T-Mobile")]
    cell = cell_nr(*TMO)
    ss = service_state(15, 0, 0, "T-Mobile", [
        nri("CS", "HOME", "NR", rplmn="310260", cell=cell, version=15),
        nri("PS", "HOME", "NR", rplmn="310260", cell=cell, version=15)], voice_tech="20(NR_SA)", data_tech="20(NR_SA)")
    android("android15-ims-not-registered", sorted(p), [(0, ss, signal(nr=(-84, -10, 21), primary="CellSignalStrengthNr"))],
            [False])

    # Android 16, Galaxy S25: two SIMs. Slot 1 T-Mobile on LTE with NR NSA, slot 2 an eSIM on
    # Verizon with a poor LTE signal.
    p = base_props("samsung", "SM-S931U1", "16", "36", "2025-10-01",
                   "samsung/pa1qsqw/pa1q:16/BP2A.250605.031/S931U1UES4BYI3:user/release-keys", "S931U1UES4BYI3,S931U1UES4BYI3")
    p += [("gsm.sim.state", "LOADED,LOADED"), ("gsm.operator.numeric", "310260,311480"),
          ("gsm.operator.alpha", "T-Mobile,Verizon"), ("gsm.operator.isroaming", "false,false"),
          ("gsm.network.type", "LTE,LTE"), ("gsm.sim.operator.numeric", "310260,311480"),
          ("gsm.sim.operator.alpha", "T-Mobile,Verizon")]
    ss0 = service_state(16, 0, 0, "T-Mobile", [
        nri("CS", "HOME", "LTE", rplmn="310260", cell=cell_lte(*TMO[:2], 66786, TMO[2]), version=16),
        nri("PS", "HOME", "LTE", nr="CONNECTED", rplmn="310260", cell=cell_lte(*TMO[:2], 66786, TMO[2]), version=16)])
    ss1 = service_state(16, 0, 0, "Verizon", [
        nri("CS", "HOME", "LTE", rplmn="311480", cell=cell_lte("311", "480", 2450, "Verizon"), version=16),
        nri("PS", "HOME", "LTE", rplmn="311480", cell=cell_lte("311", "480", 2450, "Verizon"), version=16)])
    android("android16-dual-sim", sorted(p), [(0, ss0, signal(lte=(-92, -11, 12, -64), nr=(-97, -12, 8))),
                                              (1, ss1, signal(lte=(-121, -17, -3, -89)))], [True, True])

    # Android 13, no SIM in either slot.
    p = base_props("motorola", "moto g stylus 5G - 2023", "13", "33", "2024-01-01",
                   "motorola/genevn_g/genevn:13/T1TGNS33.71-18-4/7a9a3:user/release-keys", "M6375_11.22.01.35R")
    p += [("gsm.sim.state", "ABSENT,ABSENT"), ("gsm.operator.numeric", ","), ("gsm.operator.alpha", ","),
          ("gsm.operator.isroaming", "false,false"), ("gsm.network.type", "Unknown,Unknown")]
    empty = service_state(13, 1, 1, None, [nri("CS", "NOT_REG_OR_SEARCHING", "UNKNOWN", version=13),
                                          nri("PS", "NOT_REG_OR_SEARCHING", "UNKNOWN", version=13)],
                          voice_tech="0(Unknown)", data_tech="0(Unknown)")
    android("android13-no-sim", sorted(p), [(0, empty, signal()), (1, empty, signal())], [False, False])

    # A phone that has not accepted this computer's debugging key.
    android("unauthorized", [], [], [], unauthorized=True)

    # iPhones.
    simple17 = "BuildVersion: 21F90\nDeviceClass: iPhone\nDeviceName: iPhone\nProductType: iPhone15,4\nProductVersion: 17.5.1\n"
    full17 = (
        "ActivationState: Activated\nBasebandVersion: 1.60.02\nBuildVersion: 21F90\n"
        "CarrierBundleInfoArray:\n 0:\n  CFBundleIdentifier: com.apple.TMobile_US\n  CFBundleVersion: 58.0.1\n"
        "  IntegratedCircuitCardIdentity: 8901260123456789012\n  MCC: 310\n  MNC: 260\n"
        "DeviceClass: iPhone\nDeviceName: iPhone\nIntegratedCircuitCardIdentity: 8901260123456789012\n"
        "InternationalMobileEquipmentIdentity: 356789104512346\nInternationalMobileEquipmentIdentity2: 356789104598626\n"
        "InternationalMobileSubscriberIdentity: 310260123456789\nMobileSubscriberCountryCode: 310\n"
        "MobileSubscriberNetworkCode: 260\nPhoneNumber: +1 (206) 555-0143\nProductType: iPhone15,4\nProductVersion: 17.5.1\n"
        "SIMStatus: kCTSIMSupportSIMStatusReady\nSerialNumber: F2LXK0ABCD12\n")
    write(os.path.join(HERE, "ios", "ios17-trusted", "simple.txt"), simple17)
    write(os.path.join(HERE, "ios", "ios17-trusted", "full.txt"), full17)
    simple16 = "BuildVersion: 20H240\nDeviceClass: iPhone\nDeviceName: iPhone\nProductType: iPhone14,5\nProductVersion: 16.7.5\n"
    write(os.path.join(HERE, "ios", "ios16-not-trusted", "simple.txt"), simple16)
    write(os.path.join(HERE, "ios", "ios16-not-trusted", "full.err"),
          "ERROR: Could not connect to lockdownd: Pairing dialog response pending (-19)\n")
    simple18 = "BuildVersion: 22C152\nDeviceClass: iPhone\nDeviceName: iPhone\nProductType: iPhone17,1\nProductVersion: 18.2\n"
    write(os.path.join(HERE, "ios", "ios18-passcode-locked", "simple.txt"), simple18)
    write(os.path.join(HERE, "ios", "ios18-passcode-locked", "full.err"),
          "ERROR: Could not connect to lockdownd: Password protected (-17)\n")


if __name__ == "__main__":
    main()
