; Inno Setup 6 script for Clienteling on Windows 10/11 (x64).
;
; Build on Windows after `pyinstaller packaging\clienteling.spec` has produced
; dist\clienteling\ (clienteling.exe, clienteling-cli.exe, _internal\):
;     iscc packaging\windows\clienteling.iss
; Output: dist\Clienteling-0.1.0-setup.exe
;
; Silent install with provisioning (writes %ProgramData%\Clienteling\config.toml):
;     Clienteling-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG="C:\Windows\Temp\clienteling-setup.log"
;         /CENTRAL=https://central.example.com /STORE=S001 /MODE=kiosk /ENROLL=CODE [/DEVICENAME=KIOSK-01]
; Without /CENTRAL the existing config.toml is kept (upgrades never lose provisioning).
; A bad /MODE, a /CENTRAL that is not http(s) or a missing /STORE aborts the install
; before anything is copied (Setup exit code 1, "failed to initialize"; reason in the /LOG).
; AppVersion below must match pyproject.toml (tests/packaging/test_packaging_files.py).

#define AppName "Clienteling"
#define AppVersion "0.1.0"
#define AppPublisher "Harbour & Pine"
#define AppExeName "clienteling.exe"
#define AppCliName "clienteling-cli.exe"
#define BundleDir "..\..\dist\clienteling"

[Setup]
AppId={{6C1B9E42-3F0A-4B8E-9A55-2D7C1E0F4A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=Clienteling-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExeName}
CloseApplications=force
SetupLogging=yes

[Files]
; The whole PyInstaller one-folder bundle (see packaging/clienteling.spec).
Source: "{#BundleDir}\{#AppExeName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\{#AppCliName}"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#BundleDir}\_internal\*"; DestDir: "{app}\_internal"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\..\CHANGELOG.md"; DestDir: "{app}"; Flags: ignoreversion

[Dirs]
Name: "{commonappdata}\{#AppName}"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autoprograms}\{#AppName} self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\{#AppCliName}"" --self-test"

[Run]
Filename: "{app}\{#AppExeName}"; Description: "Start {#AppName}"; Flags: nowait postinstall skipifsilent

; %ProgramData%\Clienteling\config.toml is kept on uninstall on purpose: a re-install keeps
; the device provisioned. Delete it by hand to retire a device.

[Code]
function TomlString(const Value: String): String;
var
  S: String;
begin
  S := Value;
  StringChangeEx(S, '\', '\\', True);
  StringChangeEx(S, '"', '\"', True);
  Result := '"' + S + '"';
end;

function ConfigPath(): String;
begin
  Result := ExpandConstant('{commonappdata}\{#AppName}\config.toml');
end;

function CheckParams(var Reason: String): Boolean;
var
  Central, Mode: String;
begin
  Result := True;
  Central := ExpandConstant('{param:CENTRAL|}');
  Mode := Lowercase(ExpandConstant('{param:MODE|associate}'));
  { /MODE is checked whenever it is given, with or without /CENTRAL (absent = associate). }
  if (Mode <> 'associate') and (Mode <> 'kiosk') then begin
    Reason := '/MODE must be associate or kiosk, got: ' + Mode;
    Result := False;
    Exit;
  end;
  if Central = '' then
    Exit;
  if (Pos('http://', Lowercase(Central)) <> 1) and (Pos('https://', Lowercase(Central)) <> 1) then begin
    Reason := '/CENTRAL must be an http:// or https:// URL, got: ' + Central;
    Result := False;
  end else if ExpandConstant('{param:STORE|}') = '' then begin
    Reason := '/STORE is required with /CENTRAL (for example /STORE=S001)';
    Result := False;
  end;
end;

function InitializeSetup(): Boolean;
var
  Reason: String;
begin
  Result := CheckParams(Reason);
  if not Result then begin
    Log('Provisioning parameters refused: ' + Reason);
    SuppressibleMsgBox(Reason, mbCriticalError, MB_OK, IDOK);
  end;
end;

procedure WriteConfig();
var
  Lines: TArrayOfString;
  DeviceName: String;
  N: Integer;
begin
  DeviceName := ExpandConstant('{param:DEVICENAME|}');
  N := 6;
  if DeviceName <> '' then
    N := 7;
  SetArrayLength(Lines, N);
  Lines[0] := '# Written by the Clienteling installer; check it with: clienteling-cli --self-test';
  Lines[1] := '# Every setting is described in the Clienteling CHANGELOG and packaging/README.md.';
  Lines[2] := 'central_url = ' + TomlString(ExpandConstant('{param:CENTRAL|}'));
  Lines[3] := 'store_id = ' + TomlString(ExpandConstant('{param:STORE|}'));
  Lines[4] := 'mode = ' + TomlString(Lowercase(ExpandConstant('{param:MODE|associate}')));
  Lines[5] := 'enrollment_code = ' + TomlString(ExpandConstant('{param:ENROLL|}'));
  if DeviceName <> '' then
    Lines[6] := 'device_name = ' + TomlString(DeviceName);
  ForceDirectories(ExtractFileDir(ConfigPath()));
  { TOML is UTF-8; the app also accepts a BOM, but none is written. }
  if not SaveStringsToUTF8FileWithoutBOM(ConfigPath(), Lines, False) then
    RaiseException('Could not write ' + ConfigPath());
  Log('Wrote ' + ConfigPath());
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and (ExpandConstant('{param:CENTRAL|}') <> '') then
    WriteConfig();
end;
