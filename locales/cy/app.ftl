# Geiriau'r ap ei hun ar dudalennau preswylwyr, yn Gymraeg. Mae pob id yma hefyd yn en/app.ftl.

## Pob tudalen
skip-link = Neidio i'r prif gynnwys
back = Yn ôl
privacy-notice = Hysbysiad preifatrwydd
there-is-a-problem = Mae problem wedi codi
error-prefix = Gwall:
error-title = Gwall: { $title }
languages = Ieithoedd

## Tudalen gychwyn
someone-started = Mae rhywun eisoes wedi dechrau'r arolwg hwn ar y ddyfais hon. Mae eu hatebion hyd yma wedi'u cadw.
continue-where-left = Parhau o'r man lle gwnaethoch adael
not-you-start-again = Nid chi? Dechrau eto
start-again-throws = Bydd dechrau eto yn dileu'r atebion sydd wedi'u cadw.
start-now = Dechrau nawr
takes-minutes = Mae'n cymryd tua { $minutes } munud.
saved-to-finish = Wedi cadw eich atebion i orffen yn nes ymlaen?
continue-with-code = Parhau gyda'ch cod dychwelyd
your-privacy = Eich preifatrwydd
no-name = Ni fyddwn yn gofyn am eich enw. Ar y diwedd byddwch yn cael cyfeirnod.
read-how-we-use = Darllenwch sut rydym yn defnyddio eich atebion

## Cwestiwn
write-up-to = Gallwch ysgrifennu hyd at { $count } nod.
can-skip = Gallwch hepgor y cwestiwn hwn.
welcome-back = Croeso'n ôl. Mae eich atebion hyd yma wedi'u cadw, a gallwch barhau o'r fan hon.
save-and-come-back = Cadw a dod yn ôl yn nes ymlaen
continue = Parhau
or = neu
other-tell-us = Os rhywbeth arall, dywedwch wrthym beth (dewisol)
prefer-not-to-say = Mae'n well gennyf beidio â dweud
select-an-answer = Dewiswch ateb
select-at-least-one = Dewiswch o leiaf un ateb
constraint-message = Rhowch hyd at { $count } nod
enter-an-answer = Rhowch ateb
enter-a-number = Rhowch rif
enter-a-date = Rhowch ddyddiad
number-whole = Rhowch rif cyfan, fel 12
number-invalid = Rhowch rif, fel 12 neu 2.5
number-between = Rhowch rif rhwng { $min } a { $max }
number-at-least = Rhowch rif sy'n { $min } neu fwy
number-at-most = Rhowch rif sy'n { $max } neu lai
date-invalid = Rhowch ddyddiad go iawn, fel 27 3 2007
date-incomplete = Rhowch y diwrnod, y mis a'r flwyddyn
date-past = Rhowch ddyddiad heddiw neu ddyddiad yn y gorffennol
date-future = Rhowch ddyddiad heddiw neu ddyddiad yn y dyfodol
date-hint = Er enghraifft, 27 3 2007
date-day = Diwrnod
date-month = Mis
date-year = Blwyddyn
postcode-not-kept = Wedi'i ddefnyddio i ddod o hyd i'ch ward, heb ei gadw
enter-a-postcode = Rhowch eich cod post
postcode-invalid = Rhowch god post llawn, fel TS18 1AU
postcode-keeps-sector = Dim ond rhan gyntaf eich cod post a'r rhif nesaf (fel TS18 1) rydym yn eu cadw, byth y cyfan.
postcode-keeps-ward = Dim ond i ddod o hyd i'ch ward rydym yn defnyddio eich cod post. Nid ydym yn ei gadw.
postcode-found = Rydym wedi dewis eich ward o'ch cod post. Gwiriwch hi, a dewiswch un arall os yw'n anghywir.
postcode-unknown = Nid oeddem yn gallu dod o hyd i'ch cod post yn ein rhestr ar gyfer yr ardal hon. Dewiswch eich ward o'r rhestr.
notice-postcode-sector = Os ydych yn rhoi eich cod post, dim ond ei ran gyntaf a'r rhif nesaf (fel TS18 1) rydym yn eu cadw, sy'n cwmpasu ychydig filoedd o gartrefi, byth y cod post llawn.
notice-postcode-ward = Os ydych yn rhoi eich cod post, dim ond i ddod o hyd i'ch ward rydym yn ei ddefnyddio, ac nid ydym yn ei gadw.

## Gwirio eich atebion
not-answered = Heb ei ateb
change = Newid
change-answer-to = eich ateb i: { $question }
check-title = Gwirio eich atebion
check-heading = Gwiriwch eich atebion cyn eu hanfon
now-send = Nawr anfonwch eich atebion
cannot-change = Pan fyddwch yn anfon eich atebion, ni allwch eu newid ar-lein.
send-answers = Anfon atebion

## Wedi anfon
done-title = Mae eich atebion wedi'u hanfon
done-heading = Diolch, mae eich atebion wedi'u hanfon
your-reference-is = Eich cyfeirnod yw
nothing-else = Nid oes angen i chi wneud dim byd arall. Cadwch eich cyfeirnod os ydych am ofyn i ni am eich atebion, neu am eu dileu.
help-near-you = Help yn agos atoch chi
contact-you-question = Hoffech chi i rywun gysylltu â chi?
ask-contact = Gofyn i rywun o'r cyngor gysylltu â chi am help
changed-mind = Wedi newid eich meddwl am gymryd rhan?
in-english = (yn Saesneg)
remove-answers = Dileu eich atebion
already-sent-title = Atebion wedi'u hanfon
already-sent-heading = Mae'r atebion hyn wedi'u hanfon
reference-once = Er mwyn preifatrwydd, dim ond unwaith y dangosir y cyfeirnod, yn syth ar ôl anfon.
take-survey = Cymryd rhan yn yr arolwg
if-not-answered = os nad ydych wedi'i ateb eto.

## Ddim ar agor
not-open-yet = Nid yw'r arolwg hwn ar agor eto
opens-on = Bydd yn agor ar { $day }. Dewch yn ôl bryd hynny.
come-back-later = Dewch yn ôl yn nes ymlaen.
survey-closed = Mae'r arolwg hwn wedi cau
closed-text = Diolch am eich diddordeb. Nid ydym yn derbyn atebion mwyach.
help-getting-online = Help i fynd ar-lein

## Wedi cadw i orffen yn nes ymlaen
saved-title = Mae eich atebion wedi'u cadw
your-return-code-is = Eich cod dychwelyd yw
works-until = Ysgrifennwch y cod, neu argraffwch y dudalen hon. Mae'n gweithio tan
to-carry-on = I barhau
carry-on-how = Ar unrhyw ffôn neu gyfrifiadur, ewch i'r arolwg a dewis “Parhau gyda'ch cod dychwelyd”, neu ewch i
carry-on-after = . Rhowch y cod a byddwch yn parhau o'r man lle gwnaethoch stopio.
phone-with-code = Gallwch hefyd ffonio'r cyngor a rhoi'r cod: gall rhywun orffen yr arolwg gyda chi.
keep-code = Cadwch y cod i chi eich hun
anyone-with-code = Gall unrhyw un sydd â'r cod weld a newid eich atebion nes i chi eu hanfon.
closed-on-device = Rydym wedi cau'r arolwg ar y ddyfais hon, felly ni all y person nesaf sy'n ei defnyddio weld eich atebion.
return-intro = Os gwnaethoch gadw eich atebion i orffen yn nes ymlaen, cawsoch god dychwelyd.
your-return-code = Eich cod dychwelyd
code-hint = 8 llythyren a rhif, fel KDP7 4XRM.
lost-code = Wedi colli eich cod?
start-survey-again = Dechrau'r arolwg eto

## Tudalennau gwall
error-not-found-heading = Heb ddod o hyd i'r dudalen
error-not-found-message = Os gwnaethoch deipio'r cyfeiriad gwe, gwiriwch ei fod yn gywir. Os gwnaethoch ei gludo, gwiriwch eich bod wedi copïo'r cyfan.
error-not-applicable-heading = Nid oes angen y cwestiwn hwn
error-not-applicable-message = Mae eich atebion cynharach yn golygu nad oes angen i ni ofyn y cwestiwn hwn, felly ni chafodd eich ateb ei gadw.
error-not-applicable-link = Parhau â'r arolwg
error-too-large-heading = Mae eich ateb yn rhy hir
error-too-large-message = Nid oeddem yn gallu ei gadw oherwydd ei fod yn rhy hir. Ewch yn ôl, byrhewch eich ateb a rhowch gynnig arall arni.
error-too-many-heading = Gormod o ymdrechion
error-too-many-message = Arhoswch 15 munud, yna rhowch gynnig arall arni.
error-server-heading = Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth
error-server-message = Rhowch gynnig arall arni yn nes ymlaen. Mae eich atebion hyd yma wedi'u cadw.

## Dyddiadau
date = { $day } { $month } { $year }
month-1 = Ionawr
month-2 = Chwefror
month-3 = Mawrth
month-4 = Ebrill
month-5 = Mai
month-6 = Mehefin
month-7 = Gorffennaf
month-8 = Awst
month-9 = Medi
month-10 = Hydref
month-11 = Tachwedd
month-12 = Rhagfyr

## Yr hysbysiad preifatrwydd diofyn (gall gweinyddwr ysgrifennu un ei hun i'r arolwg)
notice-who-heading = Pwy ydym ni
notice-who = { $council } sy'n gyfrifol am eich atebion (y rheolydd data).
notice-what-heading = Beth rydym yn ei gasglu a pham
notice-what = Rydym yn casglu eich atebion i'r arolwg hwn i ddarganfod beth sy'n atal pobl rhag defnyddio gwasanaethau ar-lein y cyngor, ac i gynllunio help fel hyfforddiant, dyfeisiau a gwefannau haws. Nid ydym yn gofyn am eich enw.
notice-contact-details = Os byddwch yn gofyn i ni gysylltu â chi am help, byddwn yn gofyn am eich enw a rhif ffôn neu gyfeiriad e-bost, a dim ond gyda'ch cytundeb. Rydym yn eu cadw ar wahân i'ch atebion, a dim ond y staff sy'n cysylltu â chi all eu gweld.
notice-basis = Ein sail gyfreithlon yw bod hyn yn rhan o'n tasg gyhoeddus (Erthygl 6(1)(e) GDPR y DU). Os byddwch yn dweud wrthym am anabledd neu gyflwr iechyd, rydym yn ei ddefnyddio i wneud ein gwasanaethau'n haws eu defnyddio, o dan Erthygl 9(2)(g). Dim ond gyda'ch caniatâd y byddwn yn defnyddio manylion cyswllt (Erthygl 6(1)(a)).
notice-keep-heading = Am ba hyd rydym yn ei gadw
notice-keep = Rydym yn cadw eich atebion am { $months } mis, yna'n eu dileu. Mae atebion nad ydych wedi'u hanfon yn cael eu dileu ar ôl { $draft_days } diwrnod. Mae manylion cyswllt yn cael eu dileu unwaith y byddwn wedi cysylltu â chi, neu ar ôl { $contact_days } diwrnod fan bellaf.
notice-rights-heading = Eich hawliau
notice-rights = Gallwch ofyn am weld eich atebion, neu am eu dileu. Dyfynnwch y cyfeirnod a gewch ar ddiwedd yr arolwg. Gallwch eu dileu eich hun ar y dudalen “Dileu eich atebion”.
notice-ask = I ofyn am eich data, cysylltwch â { $contact }. Gallwch hefyd gwyno i Swyddfa'r Comisiynydd Gwybodaeth (ico.org.uk).
notice-heading = Sut rydym yn defnyddio eich atebion
