import Testing
import TMDiagCore

/// The leaked-secret corpus: every phrasing must lose its secret and gain the marker; every
/// negative must come back unchanged.
@Suite struct SecretRedactorTests {
    static let secrets: [(String, String)] = [
        // English, keyword before the value.
        ("my pin is 1234", "1234"), ("My PIN is 4821.", "4821"), ("PIN 4821", "4821"), ("pin: 0000", "0000"),
        ("pin:0000", "0000"), ("PIN=9876", "9876"), ("pin1234", "1234"), ("PIN#5555", "5555"),
        ("SIM PIN 4321 did not work", "4321"), ("the pin was 2580", "2580"), ("pin number 13579", "13579"),
        ("PIN code 24680", "24680"), ("changed my PIN to 4321", "4321"), ("I set the pin to 8642", "8642"),
        ("new pin 1122", "1122"), ("pin is now 3344", "3344"), ("old PIN 5566 and new PIN 7788", "5566"),
        ("old PIN 5566 and new PIN 7788", "7788"), ("pin is 1 2 3 4", "1 2 3 4"), ("PIN1 1357", "1357"),
        ("PIN2 8080", "8080"), ("pincode 4444", "4444"), ("PUK 12345678", "12345678"),
        ("puk code 87654321 from the card", "87654321"), ("PUK is 11223344", "11223344"), ("puk=99887766", "99887766"),
        ("PUK2 55667788", "55667788"), ("account PIN: 123456", "123456"), ("account pin 778899", "778899"),
        ("transfer PIN 246810", "246810"), ("port out pin is 135790", "135790"),
        ("customer said PIN 4821 and password hunter2", "4821"), ("customer said PIN 4821 and password hunter2", "hunter2"),
        // English, value before the keyword.
        ("I typed 1234 as the PIN", "1234"), ("entered 1234 for the pin", "1234"), ("1234 is my PIN", "1234"),
        ("tried 0000 as pin", "0000"), ("used 5678 as my SIM PIN", "5678"), ("entered 87654321 for the PUK", "87654321"),
        ("typed hunter2 as the password", "hunter2"),
        // Passwords and passcodes.
        ("password hunter2", "hunter2"), ("password: hunter2", "hunter2"), ("Password=hunter2 please", "hunter2"),
        ("password is Tr0ub4dor", "Tr0ub4dor"), ("my password was letmein", "letmein"), ("pw hunter2", "hunter2"),
        ("pw: s3cret", "s3cret"), ("pwd=abc123", "abc123"), ("passwd qwerty9", "qwerty9"),
        ("passcode 7777", "7777"), ("passcode is tiger77", "tiger77"), ("passcode: 246800", "246800"),
        ("the passphrase is correcthorse", "correcthorse"), ("changed the password to Summer2024", "Summer2024"),
        ("new password: Winter!99", "Winter!99"), ("password = p@ssw0rd", "p@ssw0rd"), ("PASSWORD HUNTER2", "HUNTER2"),
        ("voicemail password 9999", "9999"), ("the wifi password is bluefish42", "bluefish42"),
        // Security answers.
        ("the security answer is Fluffy", "Fluffy"), ("security answer: Springfield", "Springfield"),
        ("secret answer is Rover", "Rover"), ("security code 4455", "4455"),
        // Spanish.
        ("mi contraseña es hunter2", "hunter2"), ("contraseña: gatito7", "gatito7"), ("la clave es 1234", "1234"),
        ("clave 5678", "5678"), ("el PIN es 4321", "4321"), ("mi NIP es 9090", "9090"), ("PIN es 2468", "2468"),
        ("código PIN 1357", "1357"), ("la contraseña nueva es Perro99", "Perro99"), ("contrasena perro88", "perro88"),
        ("respuesta de seguridad: Luna", "Luna"), ("puse 1234 como el PIN", "1234"), ("el PUK es 12345678", "12345678"),
        // AT commands, as typed or pasted.
        ("AT+CPIN=\"4821\"", "4821"), ("AT+CPIN=4821", "4821"), ("AT+CPIN=\"12345678\",\"1234\"", "12345678"),
        ("AT+CPIN=\"12345678\",\"1234\"", "\"1234\""), ("AT+CLCK=\"SC\",0,\"4821\"", "4821"), ("AT+CLCK=\"SC\",1,\"0000\",7", "0000"),
        ("AT+CPWD=\"SC\",\"1111\",\"2222\"", "1111"), ("AT+CPWD=\"SC\",\"1111\",\"2222\"", "2222"),
        ("AT+CPIN2=\"5555\"", "5555"), ("AT^CPIN=\"1234\"", "1234"), ("> AT+CMEE=2;+CPIN=\"6543\"", "6543"),
        ("[12:00:01.123] AT+CPIN=\"7531\"", "7531"), ("at+cpin=\"8642\"", "8642"), ("AT$QCPIN=\"1470\"", "1470"),
        ("AT+CPWD=\"P2\",\"8520\",\"9630\"", "8520"), ("AT+CSIM=26,\"0020000108313233340FFFFFFFF\"", "313233"),
        ("AT+CGLA=1,26,\"0020000108313233340FFFFFFFF\"", "313233"), ("AT+CMAR=\"1234\"", "1234"),
        ("AT+CPIN=\"4821\"\r\nOK", "4821"),
    ]

    static let negatives: [String] = [
        "PIN is locked", "I forgot my password", "password is wrong", "the SIM asks for a PIN", "PUK required",
        "my password was reset yesterday", "Pinned the app", "spinning wheel on the app", "a plan price of $70 a month",
        "started on 2026-05-01", "case number CAS-1234", "see case 88231", "SIM asks for PIN; customer does not know it",
        "PIN entered 3 times, now asks for PUK", "password reset link did not arrive", "password manager app",
        "the phone is password protected", "asked for the PIN twice", "call me at 10:30", "Order 1234 for the plan",
        "AT+CPIN?", "+CPIN: SIM PIN", "+CPINR: SIM PIN,3,3", "AT+CPINR=\"SIM PIN\"", "AT+CLCK=\"SC\",2",
        "+CLCK: 1", "AT+QPINC?", "+QPINC: \"SC\",3,10", "AT+CSIM=10,\"00B0000000\"", "Pinterest shows nothing",
        "pinpoint the outage", "the pin on the charger is bent", "la contraseña es incorrecta", "olvidé mi contraseña",
        "el PIN está bloqueado", "passing through Denver", "AT+CGDCONT=1,\"IP\",\"fast.t-mobile.com\"",
        "Roaming in Spain since 2026-11-20", "plan changed to Magenta 55+", "no signal since Monday",
    ]

    @Test(arguments: secrets)
    func secretIsRemoved(_ text: String, _ secret: String) {
        let r = SecretRedactor.redact(text)
        #expect(!r.text.contains(secret), "\(text) → \(r.text)")
        #expect(r.text.contains(SecretRedactor.removedMark), "\(text) → \(r.text)")
        #expect(r.removed)
    }

    @Test(arguments: negatives)
    func wordsAboutSecretsStay(_ text: String) {
        let r = SecretRedactor.redact(text)
        #expect(r.text == text)
        #expect(!r.removed)
    }

    @Test func corpusIsLargeEnough() {
        #expect(Set(Self.secrets.map(\.0)).count + Self.negatives.count >= 100)
    }

    @Test func theRestOfTheTextIsKept() {
        #expect(SecretRedactor.redact("My PIN is 4821, and the phone says No Service.").text
                == "My PIN is [removed], and the phone says No Service.")
        #expect(SecretRedactor.redact("AT+CLCK=\"SC\",0,\"4821\"").text == "AT+CLCK=\"SC\",0,\"[removed]\"")
        #expect(SecretRedactor.redact("AT+CPWD=\"SC\",\"1111\",\"2222\"").text
                == "AT+CPWD=\"SC\",\"[removed]\",\"[removed]\"")
    }
}
