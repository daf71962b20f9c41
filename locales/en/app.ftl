# The app's own words on residents' pages, in English. Every id here is also in cy/app.ftl (a unit
# test checks). Survey text (questions, options, signposting) comes from the survey definition.

## Every page
skip-link = Skip to main content
back = Back
privacy-notice = Privacy notice
there-is-a-problem = There is a problem
error-prefix = Error:
error-title = Error: { $title }
languages = Languages

## Start page
someone-started = Someone has already started this survey on this device. Their answers so far are saved.
continue-where-left = Continue where you left off
not-you-start-again = Not you? Start again
start-again-throws = Starting again throws the saved answers away.
start-now = Start now
takes-minutes = It takes about { $minutes } minutes.
saved-to-finish = Saved your answers to finish later?
continue-with-code = Continue with your return code
your-privacy = Your privacy
no-name = We will not ask for your name. At the end you get a reference number.
read-how-we-use = Read how we use your answers

## A question
write-up-to = You can write up to { $count } characters.
can-skip = You can skip this question.
welcome-back = Welcome back. Your answers so far are saved, and you can carry on from here.
save-and-come-back = Save and come back later
continue = Continue
or = or
other-tell-us = If something else, tell us what (optional)
prefer-not-to-say = Prefer not to say
select-an-answer = Select an answer
select-at-least-one = Select at least one answer
constraint-message = Enter up to { $count } characters
enter-an-answer = Enter an answer
enter-a-number = Enter a number
enter-a-date = Enter a date
number-whole = Enter a whole number, like 12
number-invalid = Enter a number, like 12 or 2.5
number-between = Enter a number from { $min } to { $max }
number-at-least = Enter a number of { $min } or more
number-at-most = Enter a number of { $max } or less
date-invalid = Enter a real date, like 27 3 2007
date-incomplete = Enter the day, the month and the year
date-past = Enter today's date or a date in the past
date-future = Enter today's date or a date in the future
date-hint = For example, 27 3 2007
date-day = Day
date-month = Month
date-year = Year
postcode-not-kept = Used to find your ward, not kept
enter-a-postcode = Enter your postcode
postcode-invalid = Enter a full postcode, like TS18 1AU
postcode-keeps-sector = We keep only the first part of your postcode and the next number (like TS18 1), never all of it.
postcode-keeps-ward = We use your postcode only to find your ward. We do not keep it.
postcode-found = We chose your ward from your postcode. Check it, and choose another if it is wrong.
postcode-unknown = We could not find your postcode in our list for this area. Choose your ward from the list.
notice-postcode-sector = If you give your postcode, we keep only its first part and the next number (like TS18 1), which covers a few thousand homes, never the full postcode.
notice-postcode-ward = If you give your postcode, we use it only to find your ward, and do not keep it.

## Check your answers
not-answered = Not answered
change = Change
change-answer-to = your answer to: { $question }
check-title = Check your answers
check-heading = Check your answers before sending them
now-send = Now send your answers
cannot-change = When you send your answers you cannot change them online.
send-answers = Send answers

## Sent
done-title = Your answers have been sent
done-heading = Thank you, your answers have been sent
your-reference-is = Your reference is
nothing-else = You do not need to do anything else. Keep your reference if you want to ask us about your answers, or have them removed.
help-near-you = Help near you
contact-you-question = Would you like someone to contact you?
ask-contact = Ask someone from the council to contact you about help
changed-mind = Changed your mind about taking part?
in-english = (in English)
remove-answers = Remove your answers
already-sent-title = Answers sent
already-sent-heading = These answers have been sent
reference-once = For privacy, the reference is shown only once, straight after sending.
take-survey = Take the survey
if-not-answered = if you have not answered it yet.

## Not open
not-open-yet = This survey is not open yet
opens-on = It opens on { $day }. Please come back then.
come-back-later = Please come back later.
survey-closed = This survey has closed
closed-text = Thank you for your interest. We are no longer taking answers.
help-getting-online = Help with getting online

## Saved to finish later
saved-title = Your answers are saved
your-return-code-is = Your return code is
works-until = Write the code down, or print this page. It works until
to-carry-on = To carry on
carry-on-how = On any phone or computer, go to the survey and choose “Continue with your return code”, or go to
carry-on-after = . Enter the code and you will carry on where you stopped.
phone-with-code = You can also phone the council and give the code: someone can finish the survey with you.
keep-code = Keep the code to yourself
anyone-with-code = Anyone with the code can see and change your answers until you send them.
closed-on-device = We have closed the survey on this device, so the next person to use it cannot see your answers.
return-intro = If you saved your answers to finish later, you were given a return code.
your-return-code = Your return code
code-hint = 8 letters and numbers, like KDP7 4XRM.
lost-code = Lost your code?
start-survey-again = Start the survey again

## Error pages
error-not-found-heading = Page not found
error-not-found-message = If you typed the web address, check it is correct. If you pasted it, check you copied all of it.
error-not-applicable-heading = This question is not needed
error-not-applicable-message = Your earlier answers mean we do not need to ask this question, so your answer was not saved.
error-not-applicable-link = Continue the survey
error-too-large-heading = Your answer is too long
error-too-large-message = We could not save it because it is too long. Go back, shorten your answer and try again.
error-too-many-heading = Too many attempts
error-too-many-message = Wait 15 minutes, then try again.
error-server-heading = Sorry, there is a problem with the service
error-server-message = Try again later. Your answers so far have been saved.

## Dates
date = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## The default privacy notice (an admin may write the survey's own instead)
notice-who-heading = Who we are
notice-who = { $council } is responsible for your answers (the data controller).
notice-what-heading = What we collect and why
notice-what = We collect your answers to this survey to find out what stops people using the council's online services, and to plan help such as training, devices and easier websites. We do not ask for your name.
notice-contact-details = If you ask us to contact you about help, we ask for your name and a phone number or email address, and only with your agreement. We keep them apart from your answers, and only the staff who contact you can see them.
notice-basis = Our lawful basis is that this is part of our public task (UK GDPR Article 6(1)(e)). If you tell us about a disability or health condition, we use it to make our services easier to use, under Article 9(2)(g). We use contact details only with your consent (Article 6(1)(a)).
notice-keep-heading = How long we keep it
notice-keep = We keep your answers for { $months ->
        [one] 1 month
       *[other] { $months } months
    }, then delete them. Answers you have not sent are deleted after { $draft_days ->
        [one] 1 day
       *[other] { $draft_days } days
    }. Contact details are deleted once we have contacted you, or after { $contact_days ->
        [one] 1 day
       *[other] { $contact_days } days
    } at the most.
notice-rights-heading = Your rights
notice-rights = You can ask to see your answers, or have them removed. Quote the reference you get at the end of the survey. You can remove them yourself on the “Remove your answers” page.
notice-ask = To ask about your data, contact { $contact }. You can also complain to the Information Commissioner's Office (ico.org.uk).
notice-heading = How we use your answers
