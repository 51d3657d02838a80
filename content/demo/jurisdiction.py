"""The City of Alameda Bay: a fictional city whose agencies file under a 9.64-style ordinance.

Every person, place, figure and incident here is invented for the demo. Most
vendors are real companies that sell these technologies (Clearsight Biometrics
is invented); what the city buys from them, and for how much, is made up.
"""

from content.agencies.models import Membership
from content.demo.specs import (
    AgencySpec,
    ContractTerms,
    DemoUser,
    FilingPlan,
    InventorySpec,
    TechnologySpec,
    VendorSpec,
    days_ago,
    days_ahead,
    in_year,
)
from content.filings.models import Status
from content.inventory.models import InventoryEntry
from content.technologies.models import Category

CITY = "City of Alameda Bay"
ORDINANCE = "Alameda Bay Municipal Code Chapter 9.64 (Surveillance Technology)"
COMMISSION = "Privacy Advisory Commission"

AGENCIES = (
    AgencySpec(
        slug="police",
        name="Alameda Bay Police Department",
        abbreviation="ABPD",
        website="https://www.alamedabay.example/police",
        contact_email="surveillance-compliance@police.alamedabay.example",
        description=(
            "Patrols the city's four police areas and investigates crime. Its Surveillance "
            "Technology Compliance Unit prepares the department's filings under Chapter 9.64."
        ),
        head="Chief of Police Dana Whitfield",
        areas=(
            "Area 1: Harbor Point and West End",
            "Area 2: Old Town and Brickyard",
            "Area 3: Eastshore and Lakeview",
            "Area 4: Cedar Heights and Tidewater",
        ),
    ),
    AgencySpec(
        slug="fire",
        name="Alameda Bay Fire Department",
        abbreviation="ABFD",
        website="https://www.alamedabay.example/fire",
        contact_email="fire-admin@alamedabay.example",
        description=(
            "Runs fourteen fire stations, emergency medical response and the Office of "
            "Emergency Services, and flies drones at fires and rescues."
        ),
        head="Fire Chief Luis Ortega",
        areas=("Battalion 1: Waterfront", "Battalion 2: Hills", "Battalion 3: Flatlands"),
    ),
    AgencySpec(
        slug="transportation",
        name="Alameda Bay Department of Transportation",
        abbreviation="ABDOT",
        website="https://www.alamedabay.example/transportation",
        contact_email="dot-privacy@alamedabay.example",
        description=(
            "Plans, builds and operates the city's streets, parking and traffic signals, and "
            "enforces parking rules."
        ),
        head="Director of Transportation Grace Nakamura",
        areas=(
            "Downtown parking district",
            "Old Town meter zone",
            "Eastshore residential permit zones",
            "School zones citywide",
        ),
    ),
    AgencySpec(
        slug="public-works",
        name="Alameda Bay Public Works",
        abbreviation="ABPW",
        website="https://www.alamedabay.example/public-works",
        contact_email="publicworks@alamedabay.example",
        description=(
            "Maintains streets, sewers, parks and city buildings, and runs the illegal-dumping "
            "abatement programme."
        ),
        head="Director of Public Works Tomas Reyes",
        areas=("Brickyard", "Tidewater", "Eastshore industrial corridor", "Lakeview"),
    ),
    AgencySpec(
        slug="port",
        name="Port of Alameda Bay",
        abbreviation="POAB",
        website="https://www.portofalamedabay.example",
        contact_email="security@portofalamedabay.example",
        description=(
            "An independent city department that runs the seaport's container terminals, the "
            "ferry terminal and the Harbor Point waterfront."
        ),
        head="Executive Director Alicia Ferreira",
        areas=(
            "Outer Harbor terminals",
            "Inner Harbor terminal",
            "Ferry terminal",
            "Harbor Point waterfront",
        ),
    ),
    AgencySpec(
        slug="library",
        name="Alameda Bay Public Library",
        abbreviation="ABPL",
        website="https://www.alamedabay.example/library",
        contact_email="library-admin@alamedabay.example",
        description="The Main Library and eight branch libraries.",
        head="City Librarian Jonah Whitaker",
        areas=("Main Library", "Eastshore Branch", "Tidewater Branch", "Cedar Heights Branch"),
    ),
    AgencySpec(
        slug="housing-authority",
        name="Alameda Bay Housing Authority",
        abbreviation="ABHA",
        website="https://www.abha.example",
        contact_email="compliance@abha.example",
        description=(
            "Owns and manages about 1,900 public housing homes in twelve developments and "
            "administers Housing Choice Vouchers."
        ),
        head="Executive Director Renee Bishop",
        areas=(
            "Lakeview Gardens",
            "Brickyard Homes",
            "Tidewater Towers",
            "Harbor View Senior Apartments",
        ),
    ),
)

VENDORS = (
    VendorSpec(
        "axon",
        "Axon Enterprise",
        "https://www.axon.com",
        "Body-worn cameras, TASER devices and the Axon Evidence cloud platform; also sells a "
        "camera-integration platform for police.",
    ),
    VendorSpec(
        "flock-safety",
        "Flock Safety",
        "https://www.flocksafety.com",
        "Solar-powered fixed license plate reader cameras sold as a subscription, with a cloud "
        "search portal.",
    ),
    VendorSpec(
        "soundthinking",
        "SoundThinking (formerly ShotSpotter)",
        "https://www.soundthinking.com",
        "Acoustic gunshot detection sold as a subscription per square mile of coverage.",
    ),
    VendorSpec(
        "motorola-solutions",
        "Motorola Solutions",
        "https://www.motorolasolutions.com",
        "Radio systems, video security cameras and real-time crime center software.",
    ),
    VendorSpec(
        "cellebrite",
        "Cellebrite",
        "https://cellebrite.com",
        "Tools that extract and analyse data from phones and other digital devices.",
    ),
    VendorSpec(
        "skydio",
        "Skydio",
        "https://www.skydio.com",
        "Drones and docking stations for public-safety and inspection work.",
    ),
    VendorSpec(
        "genetec",
        "Genetec",
        "https://www.genetec.com",
        "Video management and access control software, and the AutoVu license plate "
        "recognition system.",
    ),
    VendorSpec(
        "briefcam",
        "BriefCam",
        "https://www.briefcam.com",
        "Video analytics that index recorded video so users can search it for people, "
        "vehicles and objects.",
    ),
    VendorSpec(
        "l3harris",
        "L3Harris Technologies",
        "https://www.l3harris.com",
        "Defense and public-safety communications contractor that has supplied cell-site "
        "simulator equipment to law enforcement.",
    ),
    VendorSpec(
        "verkada",
        "Verkada",
        "https://www.verkada.com",
        "Cloud-managed security cameras and building access systems.",
    ),
    VendorSpec(
        "dataminr",
        "Dataminr",
        "https://www.dataminr.com",
        "Real-time alerts drawn from public social media posts and other public data.",
    ),
    VendorSpec(
        "geolitica",
        "Geolitica (formerly PredPol)",
        "",
        "Place-based crime forecasting software, no longer sold.",
    ),
    VendorSpec(
        "verra-mobility",
        "Verra Mobility",
        "https://www.verramobility.com",
        "Automated traffic enforcement cameras and violation processing.",
    ),
    VendorSpec(
        "brivo",
        "Brivo",
        "https://www.brivo.com",
        "Cloud-based card and mobile-credential access control for buildings.",
    ),
    VendorSpec(
        "clearsight",
        "Clearsight Biometrics",
        "",
        "A fictional face recognition company invented for this demo: it searches a database "
        "of face images collected from the public web.",
    ),
)

# Where a technology's policy does not change from one agency to the next, its
# facts live here; an inventory entry overrides the uses where agencies differ.
TECHNOLOGIES = (
    TechnologySpec(
        slug="fixed-alpr",
        name="Fixed automated license plate readers",
        category=Category.ALPR,
        description=(
            "Cameras mounted on poles at fixed locations that photograph passing vehicles and "
            "read their license plates automatically."
        ),
        how_it_works=(
            "Each camera takes a still image of every passing vehicle's rear plate. Software "
            "reads the plate characters and records them with the time, the camera location "
            "and a description of the vehicle (make, colour, type).\n\n"
            "Each read is compared against hot lists: the California Stolen Vehicle System, "
            "Amber Alerts and vehicles named in felony warrants entered by an {abbr} "
            "investigator. A match sends an alert to dispatch; an officer must confirm the "
            "plate and the hot-list entry by eye before any stop."
        ),
        data_collected=(
            "A photograph of the rear of each passing vehicle, the plate text read from it, the "
            "date and time, the camera's location and the direction of travel. The images "
            "incidentally capture bumper stickers, part of the street and sometimes people near "
            "the vehicle; the system does not identify people."
        ),
        retention=(
            "Reads that do not match a hot list are deleted automatically after 30 days. Reads "
            "connected to an investigation may be exported to the case file and kept under the "
            "case's retention schedule. Audit logs of every search are kept for two years."
        ),
        access=(
            "Only sworn officers and crime analysts who have completed ALPR training hold "
            "accounts. Every search requires a case number and a reason, and the system logs "
            "the user, time, plate searched and reason. Accounts use single sign-on with "
            "multi-factor authentication and are disabled on separation."
        ),
        sharing=(
            ("Alameda County District Attorney", "evidence in charged cases"),
            (
                "Other California police agencies",
                "hits for a named felony investigation, on written request",
            ),
        ),
        vendor_access=(
            "{vendor} hosts the data in its cloud service under a contract that makes the city "
            "the owner of all data. {vendor} staff may access the data only to give technical "
            "support at the {abbr}'s request, and may not sell or share the data or use it to "
            "train products."
        ),
        safeguards=(
            "Officers may not stop a vehicle on an alert alone; they must confirm the plate and "
            "the hot-list entry. Searches without a case number are blocked. Camera locations "
            "are published on the city's website. The system may not be used for immigration "
            "enforcement or to monitor lawful gatherings."
        ),
        disparate_impact=(
            "Fixed cameras record every passing vehicle, so people who live near or drive past "
            "camera sites are recorded more often. Placing cameras at city entry points rather "
            "than inside neighbourhoods spreads this across the city; the annual report lists "
            "reads and hits by police area so the Commission can look for imbalances."
        ),
        training=(
            "Two hours on the use policy, confirming alerts and search logging before an "
            "account is issued, and a one-hour refresher every year."
        ),
        authorized_uses=(
            "Finding stolen vehicles and vehicles connected to felonies.",
            "Responding to Amber Alerts, Silver Alerts and missing-person reports.",
            "Investigating a specific crime, with a case number recorded for every search.",
        ),
        prohibited_uses=(
            "Immigration enforcement of any kind.",
            "Monitoring people because of their race, religion, political views or exercise of "
            "First Amendment rights.",
            "Tracking a vehicle's movements over time without a warrant.",
            "Selling or sharing data for any commercial purpose.",
        ),
        usage_unit="plate reads",
        monthly_usage=(180_000, 260_000),
        effectiveness=(
            "Of {usage:,} plate reads, {outcome:,} matched a hot list and were confirmed by an "
            "officer. Confirmed hits led to {secondary:,} stolen-vehicle recoveries or arrests."
        ),
        outcome_share=0.0009,
        secondary_share=0.4,
        annual_cost=184_000,
    ),
    TechnologySpec(
        slug="parking-alpr",
        name="Parking enforcement license plate readers",
        category=Category.ALPR,
        description=(
            "Cameras on parking enforcement vehicles that read plates to check time limits and "
            "residential permits."
        ),
        how_it_works=(
            "Cameras on {abbr} enforcement vehicles read plates as the vehicle drives a beat. "
            "The system records where each car was parked and, on a later pass, flags cars "
            "that have overstayed the time limit or lack a residential permit. A parking "
            "control technician reviews every flag before issuing a citation."
        ),
        data_collected=(
            "Plate text, a plate image, a wide image of the parked car showing its tyre "
            "position, and the GPS location and time. Images include parts of the street and "
            "may incidentally capture people."
        ),
        retention=(
            "Reads that lead to no citation are deleted at the end of the day after the shift. "
            "Reads supporting a citation are kept until the citation is paid or its appeal is "
            "closed, then for 90 days."
        ),
        access=(
            "Parking control technicians and their supervisors only, through named accounts "
            "with multi-factor authentication. The system logs every lookup."
        ),
        sharing=(
            ("Citation processing contractor", "plate and image for issued citations only"),
            ("Alameda Bay Police Department", "only under a court order or warrant"),
        ),
        vendor_access=(
            "{vendor} may access the system to maintain it, under the city's remote-access "
            "rules; every vendor session is logged and reviewed monthly."
        ),
        safeguards=(
            "The data are used only for parking enforcement. Police may not query the parking "
            "system; a court order is required to obtain a read. Permits and time limits are "
            "checked automatically, so no staff member browses location history."
        ),
        disparate_impact=(
            "Enforcement follows the metered districts and permit zones, which are concentrated "
            "downtown and in Old Town. The department reports reads and citations by district "
            "every year."
        ),
        training=(
            "Half a day on the system and the use policy for every parking control "
            "technician, repeated when the software changes."
        ),
        authorized_uses=(
            "Enforcing posted time limits.",
            "Enforcing residential permit parking.",
            "Finding vehicles with five or more unpaid citations for booting.",
        ),
        prohibited_uses=(
            "Any law enforcement use other than parking without a court order.",
            "Sharing data with immigration authorities.",
            "Building location histories of vehicles.",
        ),
        usage_unit="plate reads",
        monthly_usage=(60_000, 95_000),
        effectiveness=(
            "Of {usage:,} plate reads, {outcome:,} led to a citation after a technician's "
            "review; {secondary:,} of those citations were dismissed on appeal."
        ),
        outcome_share=0.06,
        secondary_share=0.03,
        annual_cost=412_000,
    ),
    TechnologySpec(
        slug="body-worn-cameras",
        name="Body-worn cameras",
        category=Category.BODY_WORN_CAMERAS,
        description=(
            "Cameras worn on officers' uniforms that record video and audio of their contacts "
            "with the public."
        ),
        how_it_works=(
            "Each officer wears a camera on the chest. The camera keeps a 30-second video-only "
            "buffer; when the officer presses record, draws a weapon or turns on the patrol "
            "car's lights, it saves the buffer and records video and audio. At the end of the "
            "shift the camera docks and uploads its recordings to {vendor}'s evidence system."
        ),
        data_collected=(
            "Video and audio of officers' encounters, including people who are not the subject "
            "of the call and the inside of homes officers enter, with the GPS location and time "
            "of each recording."
        ),
        retention=(
            "Recordings with no evidentiary value are kept for two years, the period for civil "
            "claims. Recordings of arrests, uses of force and complaints are kept until the "
            "case and any appeal are closed, and at least two years. Homicide recordings are "
            "kept permanently."
        ),
        access=(
            "Officers may view their own recordings; supervisors, internal affairs and the "
            "Community Police Review Agency may view any recording. Every view, download and "
            "share is logged. Deleting a recording early needs a captain's approval and is "
            "logged."
        ),
        sharing=(
            (
                "Alameda County District Attorney and Public Defender",
                "recordings in charged cases",
            ),
            ("Community Police Review Agency", "recordings related to complaints"),
            ("The public", "critical-incident recordings released under state law"),
        ),
        vendor_access=(
            "{vendor} stores the recordings in a government cloud under a contract that gives "
            "the city ownership; vendor staff may access recordings only to resolve a support "
            "request the {abbr} opens."
        ),
        safeguards=(
            "Officers must record every enforcement contact and tell people they are being "
            "recorded when practical. Officers may not record in restrooms or locker rooms, or "
            "record people solely for exercising their right to speak or protest. Recordings "
            "may not be analysed with face recognition."
        ),
        disparate_impact=(
            "Recording follows police contacts, so neighbourhoods with more calls for service "
            "appear more often in recordings. The cameras also document officers' conduct; "
            "complaints are reviewed against the recordings."
        ),
        training=(
            "Four hours before issue, covering activation rules, privacy in homes and "
            "hospitals, and uploading evidence; an annual refresher."
        ),
        authorized_uses=(
            "Recording enforcement contacts, detentions, arrests and searches.",
            "Recording interviews of witnesses and victims, with consent where the law "
            "requires it.",
            "Reviewing incidents for complaints, use-of-force review and training.",
        ),
        prohibited_uses=(
            "Covert recording of other officers.",
            "Recording in restrooms, locker rooms or medical treatment areas unless responding "
            "to a crime there.",
            "Face recognition or other biometric analysis of recordings.",
            "Recording people solely because they are exercising First Amendment rights.",
        ),
        usage_unit="recordings",
        monthly_usage=(22_000, 31_000),
        effectiveness=(
            "Officers made {usage:,} recordings. {outcome:,} were used as evidence in charged "
            "cases and {secondary:,} in complaint investigations."
        ),
        outcome_share=0.08,
        secondary_share=0.05,
        annual_cost=1_240_000,
    ),
    TechnologySpec(
        slug="gunshot-detection",
        name="Acoustic gunshot detection",
        category=Category.GUNSHOT_DETECTION,
        description=(
            "Acoustic sensors mounted on buildings and poles that detect and locate gunfire."
        ),
        how_it_works=(
            "Clusters of microphones detect loud impulsive sounds. Software locates each sound "
            "from the time it reaches each sensor, and {vendor}'s review centre listens to each "
            "event and classifies it as gunfire or not before an alert reaches dispatch, "
            "usually within 60 seconds."
        ),
        data_collected=(
            "A few seconds of audio around each detected impulse, its location and time, the "
            "number of rounds and the classification. The sensors do not stream or keep "
            "continuous audio, but voices may be audible in the short clips."
        ),
        retention=(
            "Alerts and their audio clips are kept for two years, or longer if part of a case."
        ),
        access=(
            "Dispatchers and officers see alerts; crime analysts and investigators may review "
            "the audio clip and incident history. {vendor}'s portal logs every access."
        ),
        sharing=(
            ("Alameda County District Attorney", "forensic reports in charged cases"),
            ("Neighbouring police agencies", "alerts near the city limit, in real time"),
        ),
        vendor_access=(
            "{vendor} operates the sensors and the review centre and keeps the audio clips on "
            "the city's behalf. The contract forbids the vendor to use the city's data for any "
            "other customer or for marketing."
        ),
        safeguards=(
            "Sensors do not record conversations; only the seconds around an impulse are kept. "
            "An alert alone does not justify stopping or searching a person at the scene. The "
            "coverage area is published; individual sensor sites are not."
        ),
        disparate_impact=(
            "The coverage area is the neighbourhoods with the most reported shootings, in "
            "Eastshore and Tidewater, where most residents are Black or Latino. That means more "
            "police responses there; the annual report shows how many alerts found evidence of "
            "gunfire."
        ),
        training="Ninety minutes on responding to alerts and the limits of the technology.",
        authorized_uses=(
            "Dispatching officers and medical aid to shootings.",
            "Collecting shell casings and other evidence at alert locations.",
            "Analysing shooting patterns to plan violence-prevention outreach.",
        ),
        prohibited_uses=(
            "Listening to or recording conversations.",
            "Stopping or searching a person on the basis of an alert alone.",
            "Using audio for any purpose other than confirming gunfire.",
        ),
        usage_unit="gunfire alerts",
        monthly_usage=(160, 260),
        effectiveness=(
            "The system sent {usage:,} gunfire alerts. Officers found physical evidence of "
            "gunfire (casings, damage or victims) at {outcome:,} alert locations, and "
            "{secondary:,} alerts led to medical aid for a gunshot victim."
        ),
        outcome_share=0.42,
        secondary_share=0.06,
        annual_cost=695_000,
    ),
    TechnologySpec(
        slug="drones",
        name="Unmanned aircraft systems (drones)",
        category=Category.DRONES,
        description=(
            "Small remotely piloted aircraft with cameras, used to see an incident from above."
        ),
        how_it_works=(
            "A certified pilot flies the drone from the scene, within sight, under FAA Part 107 "
            "rules. The drone streams video to the pilot and the incident commander and can "
            "record it. Thermal cameras show heat sources through smoke and darkness."
        ),
        data_collected=(
            "Video and still images of the incident area from above, including people and "
            "private property in view, and flight logs with time, location and altitude."
        ),
        retention=(
            "Footage with no evidentiary or operational value is deleted after 30 days. Footage "
            "used in an investigation or after-action review is kept with that file."
        ),
        access=(
            "Only certified pilots and the incident commander view live video. Recordings are "
            "kept in the city's account on {vendor}'s cloud service, with every access logged."
        ),
        sharing=(
            ("Alameda County District Attorney", "footage used as evidence"),
            ("Mutual-aid agencies at the same incident", "live video during the incident"),
        ),
        vendor_access=(
            "{vendor} receives flight telemetry for maintenance and warranty support. It "
            "receives video only if the {abbr} uploads a clip to resolve a fault."
        ),
        safeguards=(
            "Every flight needs a documented purpose listed in the policy and a log entry. "
            "Drones may not patrol at random, follow a person without a warrant, carry weapons "
            "or run face recognition. Pilots avoid flying over backyards unless the incident "
            "requires it."
        ),
        disparate_impact=(
            "Flights follow incidents, not neighbourhoods. The annual report lists flights by "
            "area and purpose so the Commission can see whether some neighbourhoods are flown "
            "over more often than others."
        ),
        training=(
            "FAA Part 107 certification, 24 hours of flight training and the use policy before "
            "a pilot flies; quarterly proficiency flights."
        ),
        authorized_uses=(
            "Search and rescue of missing or injured people.",
            "Assessing fires, hazardous-materials releases and disaster damage.",
        ),
        prohibited_uses=(
            "Random or general surveillance patrols.",
            "Following a person without a warrant.",
            "Arming a drone with any weapon.",
            "Face recognition or other biometric analysis.",
            "Monitoring lawful protest.",
        ),
        usage_unit="flights",
        monthly_usage=(14, 40),
        effectiveness=(
            "Pilots flew {usage:,} missions. {outcome:,} flights located a person, a fire's "
            "spread or a hazard that crews then acted on; {secondary:,} found a missing or "
            "injured person."
        ),
        outcome_share=0.55,
        secondary_share=0.1,
        annual_cost=210_000,
    ),
    TechnologySpec(
        slug="cell-site-simulator",
        name="Cell-site simulator",
        category=Category.CELL_SITE_SIMULATOR,
        description=(
            "A device that imitates a cell tower so that nearby phones connect to it, used to "
            "locate one specific phone."
        ),
        how_it_works=(
            "The device broadcasts as a cell tower. Phones nearby connect to it and report "
            "their identifiers. Operators set it to look for one target identifier named in a "
            "warrant and use signal strength to find that phone. The {abbr}'s device is "
            "configured not to capture calls, texts or data."
        ),
        data_collected=(
            "Identifiers (IMSI and IMEI) of phones that connect, including bystanders' phones, "
            "and signal-strength readings. No content, no numbers dialled, no location history."
        ),
        retention=(
            "Identifiers of phones other than the target are deleted at the end of each "
            "deployment, and at least once a day. The target's location is kept in the case file."
        ),
        access=(
            "Only four trained investigators in the Special Operations Section may operate the "
            "device. A lieutenant approves each use, which is logged with the warrant number."
        ),
        sharing=(("Alameda County District Attorney", "target location in charged cases"),),
        vendor_access=(
            "{vendor} has no access to data gathered by the device. Maintenance is done only "
            "after the device is wiped of all operational data."
        ),
        safeguards=(
            "Use needs a search warrant, except in an emergency involving imminent danger of "
            "death or serious injury, when a warrant must be sought within 48 hours as the "
            "California Electronic Communications Privacy Act requires. Bystander data are "
            "deleted. The device may not intercept content."
        ),
        disparate_impact=(
            "Deployments go where the person sought is, not to particular neighbourhoods. "
            "Bystanders in dense housing are more likely to connect; deleting their data "
            "limits the harm."
        ),
        training="The vendor's operator course and 8 hours on CalECPA, warrants and this policy.",
        authorized_uses=(
            "Locating a specific phone under a search warrant.",
            "Locating a person in an emergency involving imminent danger of death or serious "
            "injury, with a warrant sought within 48 hours.",
            "Searching for a missing person at risk.",
        ),
        prohibited_uses=(
            "Capturing the content of any communication.",
            "Any use without a warrant except the emergencies above.",
            "Collecting identifiers of people at protests or gatherings.",
        ),
        usage_unit="deployments",
        monthly_usage=(0, 3),
        effectiveness=(
            "The device was deployed {usage:,} times. {outcome:,} deployments located the "
            "target phone; {secondary:,} located a missing person."
        ),
        outcome_share=0.7,
        secondary_share=0.15,
        annual_cost=48_000,
    ),
    TechnologySpec(
        slug="forensic-extraction",
        name="Mobile device forensic extraction tools",
        category=Category.FORENSIC_EXTRACTION,
        description=(
            "Hardware and software that copy and analyse the data on a phone, tablet or "
            "computer seized as evidence."
        ),
        how_it_works=(
            "An examiner connects a seized device to the extraction station, which copies its "
            "data (messages, photos, location history, app data), sometimes getting past the "
            "lock screen. Analysis software sorts and searches the copy, and the examiner "
            "filters it to the categories of data the warrant allows."
        ),
        data_collected=(
            "Everything stored on the device, which includes data about people other than the "
            "owner: contacts, messages with friends and family, photos."
        ),
        retention=(
            "The full extraction is kept with the case evidence until the case and any appeal "
            "are closed. Data outside the warrant's scope may not be reviewed and are purged "
            "when the case closes."
        ),
        access=(
            "Only certified examiners in the Digital Forensics Unit run extractions; "
            "investigators see only the report filtered to the warrant's scope."
        ),
        sharing=(
            (
                "Alameda County District Attorney and defense counsel",
                "extraction reports in charged cases",
            ),
            ("Other agencies", "only under a warrant or court order of their own"),
        ),
        vendor_access="{vendor} has no access to extracted data; licences are activated offline.",
        safeguards=(
            "Extraction needs a warrant or the owner's written, voluntary consent, which may be "
            "withdrawn. Examiners document the scope of every search; reviewing data outside "
            "it is a policy violation. Victims' devices are extracted only with consent and "
            "only for the categories relevant to the case."
        ),
        disparate_impact=(
            "Extraction follows arrests and investigations, so it reflects any disparity in who "
            "is arrested. The annual report lists extractions by offence type."
        ),
        training="The vendor's examiner certification and four hours on warrants and consent.",
        authorized_uses=(
            "Extracting devices seized under a search warrant.",
            "Extracting devices with the owner's written consent.",
            "Extracting the devices of deceased people in death investigations.",
        ),
        prohibited_uses=(
            "Extraction without a warrant or written consent.",
            "Reviewing data outside the scope of the warrant.",
            "Extracting the devices of people stopped for infractions.",
        ),
        usage_unit="device extractions",
        monthly_usage=(25, 55),
        effectiveness=(
            "Examiners completed {usage:,} extractions; {outcome:,} produced evidence used in a "
            "charged case, and {secondary:,} were consent extractions for victims."
        ),
        outcome_share=0.6,
        secondary_share=0.12,
        annual_cost=156_000,
    ),
    TechnologySpec(
        slug="face-recognition",
        name="Face recognition search",
        category=Category.FACE_RECOGNITION,
        description=(
            "Software that compares a photo of an unknown person's face against a database of "
            "faces and suggests who it might be."
        ),
        how_it_works=(
            "An investigator uploads a still image of an unknown person, for example from "
            "surveillance video. The software compares it against {vendor}'s database of images "
            "collected from the public internet and returns possible matches ranked by "
            "similarity, with links to where each image was found."
        ),
        data_collected=(
            "The probe image, the candidate images returned with their source pages, and the "
            "search log. The vendor's database holds images of millions of people who never "
            "consented."
        ),
        retention=(
            "The {abbr} proposes to keep probe images and results with the case file, and "
            "search logs for five years."
        ),
        access=(
            "The proposal limits searches to six trained investigators in the Robbery and "
            "Homicide sections, with a supervisor's approval for each search."
        ),
        sharing=(
            ("Alameda County District Attorney", "search results disclosed as investigative leads"),
        ),
        vendor_access=(
            "{vendor} would receive every probe image. Its standard terms let it keep uploaded "
            "images to improve its service; the {abbr} has asked for a clause forbidding this."
        ),
        safeguards=(
            "Results would be leads only; an identification would need independent evidence. "
            "The {abbr} would not search images of people at protests or images from body-worn "
            "cameras."
        ),
        disparate_impact=(
            "Independent testing by NIST has found higher false-match rates for some "
            "demographic groups in many algorithms, especially for darker-skinned women. "
            "Wrongful arrests after face recognition matches in other cities have fallen "
            "mostly on Black men."
        ),
        training=(
            "Vendor training and 8 hours on the limits of face recognition and confirmation bias."
        ),
        authorized_uses=(
            "Identifying suspects in violent felonies from lawfully obtained images.",
            "Identifying deceased or incapacitated people.",
        ),
        prohibited_uses=(
            "Searching images of people at protests or religious gatherings.",
            "Live face recognition on video.",
            "Making an arrest on a match alone.",
        ),
        usage_unit="searches",
        monthly_usage=(10, 30),
        effectiveness=(
            "Investigators ran {usage:,} searches; {outcome:,} produced a lead that other "
            "evidence confirmed."
        ),
        outcome_share=0.2,
        secondary_share=0.0,
        annual_cost=60_000,
    ),
    TechnologySpec(
        slug="real-time-crime-center",
        name="Real-time crime center video integration",
        category=Category.REAL_TIME_CRIME_CENTER,
        description=(
            "A control room and software that bring live feeds from city cameras, license "
            "plate readers, gunshot alerts and dispatch onto one map."
        ),
        how_it_works=(
            "The software pulls live and recorded video from city cameras and from private "
            "cameras whose owners grant access, and shows them beside gunshot alerts, plate "
            "reader hits and 911 calls on a map. Analysts in the center pass information about "
            "an unfolding incident to responding officers."
        ),
        data_collected=(
            "No new data of its own: it displays and records data from connected systems, "
            "including video of streets and of private property in view of connected cameras, "
            "and logs of what analysts viewed."
        ),
        retention=(
            "Clips exported for a case follow the case's retention. Viewing logs are kept for "
            "two years. The platform keeps no copy of camera video beyond a 72-hour cache."
        ),
        access=(
            "Analysts and supervisors assigned to the center, through named accounts with "
            "multi-factor authentication; every camera view is logged with an incident number."
        ),
        sharing=(("Alameda County District Attorney", "exported clips in charged cases"),),
        vendor_access=(
            "{vendor} hosts the platform and may access it only for support requests, which "
            "are logged."
        ),
        safeguards=(
            "Analysts may open a camera only for an incident number. Private camera owners "
            "choose whether to share live feeds and may withdraw at any time. The center may "
            "not use face recognition."
        ),
        disparate_impact=(
            "The center sees what cameras see, which is densest downtown and along commercial "
            "corridors; private cameras that owners share may follow income. The {abbr} will "
            "report connected cameras by police area."
        ),
        training="A 40-hour analyst course and 4 hours on this policy.",
        authorized_uses=(
            "Supporting officers responding to violent crimes in progress.",
            "Locating missing and at-risk people.",
            "Coordinating the response to large emergencies.",
        ),
        prohibited_uses=(
            "Opening cameras without an incident number.",
            "Monitoring lawful protest.",
            "Face recognition or automated tracking of people across cameras.",
        ),
        usage_unit="incidents supported",
        monthly_usage=(150, 300),
        effectiveness=(
            "Analysts supported {usage:,} incidents; in {outcome:,} they sent responding "
            "officers information they did not have."
        ),
        outcome_share=0.35,
        secondary_share=0.0,
        annual_cost=890_000,
    ),
    TechnologySpec(
        slug="camera-registry",
        name="Private camera registry",
        category=Category.CAMERA_REGISTRY,
        description=(
            "A voluntary list of privately owned security cameras whose owners agree to be "
            "asked for footage after a crime nearby."
        ),
        how_it_works=(
            "Residents and businesses register their cameras' locations on a city web form. "
            "When a crime happens nearby, investigators see registered cameras on a map and "
            "ask the owner for footage; the owner decides whether to share. The registry gives "
            "the police no live access to any camera."
        ),
        data_collected=(
            "Owner name, contact details, camera location and view direction; footage only "
            "when an owner chooses to share it for a specific case."
        ),
        retention=(
            "Registrations are kept until the owner leaves the registry, which owners may do at "
            "any time; their data are then deleted within 30 days. Footage shared for a case "
            "follows the case's retention."
        ),
        access=(
            "Investigators and crime analysts may see the registry map; an owner's contact "
            "details are shown only to the assigned investigator."
        ),
        sharing=(("Alameda County District Attorney", "shared footage in charged cases"),),
        vendor_access=(
            "{vendor} hosts the registry; it may not contact registrants or use their data "
            "for marketing."
        ),
        safeguards=(
            "Participation is voluntary and may be withdrawn at any time. The registry gives "
            "no live access. Requests for footage must cite a case number and be limited to "
            "the time and place of the incident."
        ),
        disparate_impact=(
            "Registered cameras cluster where residents can afford cameras and feel comfortable "
            "working with the police. The {abbr} will publish registrations by police area."
        ),
        training="One hour for investigators on making footage requests under the policy.",
        authorized_uses=(
            "Identifying cameras that may have recorded a crime.",
            "Asking owners for footage of a specific incident.",
        ),
        prohibited_uses=(
            "Live viewing of registered cameras.",
            "Requesting footage to identify people at protests.",
            "Requesting footage without a case number.",
        ),
        usage_unit="footage requests",
        monthly_usage=(20, 60),
        effectiveness=(
            "Investigators made {usage:,} footage requests; owners shared footage in "
            "{outcome:,} cases."
        ),
        outcome_share=0.6,
        secondary_share=0.0,
        annual_cost=35_000,
    ),
    TechnologySpec(
        slug="video-analytics",
        name="Video analytics (object and person search)",
        category=Category.VIDEO_ANALYTICS,
        description=(
            "Software that indexes recorded video so staff can search it for a described "
            "person, vehicle or object instead of watching hours of footage."
        ),
        how_it_works=(
            "The software processes recorded video and builds an index of moving objects with "
            "their type (person, car, truck, boat), colour, size and direction. Staff search "
            "the index by description, for example a white box truck heading north after 2 "
            "a.m., and review the matching clips. The {abbr}'s configuration switches off "
            "face recognition and appearance-similarity search."
        ),
        data_collected=(
            "Descriptions of objects in video (type, colour, size, direction, time, camera) "
            "and thumbnails. No biometric templates."
        ),
        retention=(
            "Index data are deleted with the underlying video after 30 days, unless exported "
            "for an incident."
        ),
        access=(
            "Security supervisors and the {abbr}'s security analyst; every search is logged "
            "with an incident number."
        ),
        sharing=(
            ("Alameda Bay Police Department", "clips of a reported crime, on written request"),
            ("U.S. Coast Guard", "clips required under the facility security plan"),
        ),
        vendor_access=(
            "{vendor}'s software runs on the {abbr}'s own servers; the vendor has no access "
            "except in a supervised remote support session."
        ),
        safeguards=(
            "Face recognition, appearance similarity and plate-reading features are switched "
            "off, and the configuration is audited every quarter. Searches need an incident "
            "number."
        ),
        disparate_impact=(
            "The cameras cover terminals, the ferry terminal and the Harbor Point waterfront, "
            "so port workers, truck drivers and ferry riders are recorded most. The {abbr} "
            "reports searches by area."
        ),
        training="Four hours of vendor and policy training.",
        authorized_uses=(
            "Investigating security incidents, theft and damage on Port property.",
            "Finding missing people at the ferry terminal or waterfront.",
            "Reviewing safety incidents at the terminals.",
        ),
        prohibited_uses=(
            "Face recognition or appearance-similarity search.",
            "Monitoring labour activity or union organising.",
            "Searching without an incident number.",
        ),
        usage_unit="searches",
        monthly_usage=(40, 110),
        effectiveness=(
            "Staff ran {usage:,} searches; {outcome:,} found footage used to resolve an "
            "incident, saving an estimated {secondary:,} hours of manual review."
        ),
        outcome_share=0.45,
        secondary_share=3.5,
        annual_cost=128_000,
    ),
    TechnologySpec(
        slug="fixed-cctv",
        name="Fixed surveillance cameras (CCTV)",
        category=Category.SURVEILLANCE_CAMERAS,
        description=(
            "Security cameras at fixed locations that record video continuously or on motion."
        ),
        how_it_works=(
            "Cameras record to an on-site video recorder or to {vendor}'s cloud service. "
            "Authorized staff view live video from a security desk and review recordings after "
            "an incident."
        ),
        data_collected=(
            "Video of each camera's field of view, including people and vehicles passing; no audio."
        ),
        retention=(
            "Recordings are overwritten after 30 days unless exported for an incident, a claim "
            "or an investigation."
        ),
        access="Named staff in the {abbr}'s security unit; every login and export is logged.",
        sharing=(
            ("Alameda Bay Police Department", "clips of a reported crime, with a case number"),
            ("City Attorney and insurers", "clips needed for claims"),
        ),
        vendor_access=(
            "{vendor} may access cameras to maintain firmware and for support requests the "
            "{abbr} opens; vendor access is logged."
        ),
        safeguards=(
            "Cameras are not pointed into homes or windows, and signs tell people they are "
            "being recorded. No audio and no face recognition. Exports need a reason and an "
            "incident number."
        ),
        disparate_impact=(
            "Cameras record everyone who uses the places they cover. The {abbr} publishes a "
            "list of camera locations and asks for community input before adding cameras."
        ),
        training="One hour on the use policy for everyone with access.",
        authorized_uses=(
            "Investigating crimes, accidents and damage at covered sites.",
            "Protecting staff and the public.",
        ),
        prohibited_uses=(
            "Audio recording.",
            "Face recognition.",
            "Monitoring people's lawful activities, including protest and labour organising.",
        ),
        usage_unit="recording exports",
        monthly_usage=(8, 30),
        effectiveness=(
            "Staff exported footage {usage:,} times; {outcome:,} exports supported a police "
            "report or claim."
        ),
        outcome_share=0.5,
        secondary_share=0.0,
        annual_cost=96_000,
    ),
    TechnologySpec(
        slug="social-media-monitoring",
        name="Social media monitoring service",
        category=Category.SOCIAL_MEDIA_MONITORING,
        description=(
            "A subscription service that scans public social media posts and sends alerts "
            "about events matching chosen topics or places."
        ),
        how_it_works=(
            "{vendor}'s software reads public posts across platforms and alerts subscribers to "
            "posts matching the topics and places they choose, such as reports of shots fired "
            "near a location."
        ),
        data_collected=(
            "Copies of public posts, the posting account, location tags and alert history."
        ),
        retention=(
            "Alerts stay in the vendor's portal for one year; alerts used in an investigation "
            "are saved to the case."
        ),
        access="Crime analysts in the Intelligence Unit.",
        sharing=(),
        vendor_access="The vendor holds all data on its own systems.",
        safeguards=(
            "Alerts may not be set for people, groups or hashtags linked to protest, religion "
            "or political views."
        ),
        disparate_impact=(
            "Keyword alerts can sweep in the slang and speech of young people of colour "
            "disproportionately."
        ),
        training="Two hours on the policy's limits on monitoring speech.",
        authorized_uses=(
            "Situational awareness of emergencies and public-safety threats.",
            "Finding imminent threats of violence.",
        ),
        prohibited_uses=(
            "Monitoring people or groups for lawful speech or association.",
            "Setting alerts for protests or their organisers.",
            "Creating fake accounts.",
        ),
        usage_unit="alerts",
        monthly_usage=(300, 700),
        effectiveness=(
            "The service sent {usage:,} alerts; analysts forwarded {outcome:,} to patrol or "
            "investigators."
        ),
        outcome_share=0.02,
        secondary_share=0.0,
        annual_cost=72_000,
    ),
    TechnologySpec(
        slug="predictive-policing",
        name="Predictive policing software",
        category=Category.PREDICTIVE_POLICING,
        description=(
            "Software that forecasts where property crimes are likely from past crime reports "
            "and marks small boxes on a map for extra patrol."
        ),
        how_it_works=(
            "Each day the software reads the past years' reports of burglary, car break-ins "
            "and vehicle theft and marks 150-metre boxes where it forecasts those crimes. "
            "Officers were asked to spend free patrol time in the boxes."
        ),
        data_collected="Crime type, location and time from incident reports; no personal data.",
        retention="Forecasts were kept for one year.",
        access="Patrol officers and crime analysts.",
        sharing=(),
        vendor_access="{vendor} received a nightly feed of the {abbr}'s incident data.",
        safeguards="Only property crime reports were used; no arrest or personal data.",
        disparate_impact=(
            "Past reports reflect where police were already deployed, so forecasts can send "
            "more patrols back to the same mostly Black and Latino neighbourhoods, a feedback "
            "loop researchers have documented."
        ),
        training="One hour.",
        authorized_uses=("Directing discretionary patrol time to forecast areas.",),
        prohibited_uses=("Stopping people because they are in a forecast area.",),
        usage_unit="daily forecasts",
        monthly_usage=(28, 31),
        effectiveness=(
            "The software issued {usage:,} daily forecasts. An internal evaluation found no "
            "measurable drop in property crime in forecast boxes."
        ),
        outcome_share=0.0,
        secondary_share=0.0,
        annual_cost=95_000,
    ),
    TechnologySpec(
        slug="speed-cameras",
        name="Automated speed enforcement cameras",
        category=Category.OTHER,
        description=(
            "Cameras that measure vehicle speed on high-injury streets and photograph the "
            "plates of speeding vehicles for a civil citation."
        ),
        how_it_works=(
            "Radar measures each vehicle's speed. When a vehicle passes at 11 mph or more over "
            "the limit, the camera photographs its rear plate. {abbr} staff review each event "
            "before a notice goes to the registered owner. A new camera's first 60 days bring "
            "warning notices only."
        ),
        data_collected=(
            "Plate images, speed, time and location for speeding vehicles only; no images of "
            "drivers' faces."
        ),
        retention=(
            "Images of vehicles not cited are deleted within 5 days; evidence for a citation is "
            "kept until it is paid or its appeal is closed, then for 60 days."
        ),
        access="Two {abbr} reviewers and the processing contractor's reviewers.",
        sharing=(("California DMV", "registered-owner lookup for citations only"),),
        vendor_access=(
            "{vendor} processes images and mails notices under a contract that forbids any "
            "other use or sale of the data."
        ),
        safeguards=(
            "Only speeding vehicles are photographed, and never drivers' faces. Fines are "
            "halved for low-income residents, and a community-service option is offered."
        ),
        disparate_impact=(
            "High-injury streets run disproportionately through lower-income parts of "
            "Eastshore and Tidewater. Income-based fine reductions and an equity review of each "
            "site before installation address this."
        ),
        training="Four hours on review and confidentiality for reviewers.",
        authorized_uses=(
            "Issuing civil speed citations on designated high-injury streets and school zones.",
            "Evaluating safety outcomes with aggregated data.",
        ),
        prohibited_uses=(
            "Any use of images for criminal investigations.",
            "Photographing drivers' faces.",
            "Sharing data with immigration authorities, or selling it.",
        ),
        usage_unit="speeding events",
        monthly_usage=(2_000, 4_500),
        effectiveness=(
            "Cameras recorded {usage:,} speeding events and {outcome:,} citations were issued."
        ),
        outcome_share=0.7,
        secondary_share=0.0,
        annual_cost=640_000,
    ),
    TechnologySpec(
        slug="access-control",
        name="Card-access control system",
        category=Category.OTHER,
        description=(
            "Electronic locks opened by key fobs or phone credentials, which log each entry."
        ),
        how_it_works=(
            "Residents and staff open building entrances with key fobs or a phone app. Each "
            "door controller records which credential opened which door and when, and reports "
            "to {vendor}'s cloud service. Staff can disable a lost fob at once."
        ),
        data_collected=(
            "Each credential's identifier, linked to a resident's or employee's name and unit, "
            "and the door, date and time of each entry or failed attempt."
        ),
        retention=(
            "Entry logs are deleted after 90 days. Logs relevant to a specific incident are "
            "saved to the incident file."
        ),
        access=(
            "Property managers for their own buildings and the {abbr}'s security manager. Logs "
            "are reviewed only for a specific incident."
        ),
        sharing=(("Alameda Bay Police Department", "only with a warrant or in an emergency"),),
        vendor_access=(
            "{vendor} may access the system to give support; the contract forbids any other use."
        ),
        safeguards=(
            "Entry logs may not be used to monitor residents' guests or to enforce occupancy "
            "rules. Residents may ask for their own log."
        ),
        disparate_impact=(
            "Public housing residents, mostly low-income families of colour, are tracked in a "
            "way other residents of the city are not. The {abbr} keeps logs only 90 days and "
            "forbids using them for lease enforcement."
        ),
        training="One hour for property managers.",
        authorized_uses=(
            "Controlling access to buildings and common rooms.",
            "Disabling lost credentials.",
            "Investigating a specific incident of crime or damage.",
        ),
        prohibited_uses=(
            "Monitoring residents' comings and goings or their guests.",
            "Using logs for lease enforcement other than for violence or damage.",
            "Sharing with immigration authorities.",
        ),
        usage_unit="door entries",
        monthly_usage=(40_000, 65_000),
        effectiveness=(
            "The system logged {usage:,} entries and disabled {outcome:,} lost or stolen "
            "credentials."
        ),
        outcome_share=0.0012,
        secondary_share=0.0,
        annual_cost=118_000,
    ),
)

IN_USE = InventoryEntry.Status.IN_USE
APPROVED = InventoryEntry.Status.APPROVED
PROPOSED = InventoryEntry.Status.PROPOSED
RETIRED = InventoryEntry.Status.RETIRED

INVENTORY = (
    InventorySpec(
        agency="police",
        technology="fixed-alpr",
        vendor="flock-safety",
        status=IN_USE,
        purpose=(
            "find stolen vehicles and vehicles wanted in connection with violent felonies, and "
            "respond faster to Amber Alerts and missing-person reports"
        ),
        locations=(
            "Forty-eight cameras at the city's entry points: the Harbor Bridge approach, the "
            "three freeway interchanges and the main arterials crossing the city line. The "
            "camera map is published on the city website. New sites need the Commission's review."
        ),
        funding_source="General Fund (Police Department operating budget)",
        proposed_on=in_year(-5, 1, 20),
        approved_on=in_year(-5, 9, 15),
        in_use_since=in_year(-5, 11, 1),
    ),
    InventorySpec(
        agency="police",
        technology="body-worn-cameras",
        vendor="axon",
        status=IN_USE,
        purpose=(
            "document officers' contacts with the public, provide evidence, and give "
            "supervisors and the Community Police Review Agency an objective record"
        ),
        locations="Issued to all 612 sworn officers in patrol, traffic and investigations.",
        funding_source="General Fund; a federal Body-Worn Camera Policy and Implementation grant",
        in_use_since=in_year(-9, 3, 1),
        notes="In use before the ordinance took effect; policy and impact report filed afterwards.",
    ),
    InventorySpec(
        agency="police",
        technology="gunshot-detection",
        vendor="soundthinking",
        status=IN_USE,
        purpose="dispatch officers and medical aid to shootings that are never reported to 911",
        locations=(
            "A 6.5-square-mile coverage area in Eastshore, Lakeview and Tidewater, chosen from "
            "five years of shooting reports. The coverage map is published."
        ),
        funding_source="General Fund; Measure Z violence-prevention funds",
        proposed_on=in_year(-7, 9, 1),
        approved_on=in_year(-7, 12, 20),
        in_use_since=in_year(-6, 7, 1),
    ),
    InventorySpec(
        agency="police",
        technology="drones",
        vendor="skydio",
        status=APPROVED,
        purpose=(
            "search for missing people, see barricaded-suspect and hostage scenes without "
            "putting officers at risk, and map serious collision and crime scenes"
        ),
        locations=(
            "Citywide, only at incidents on the policy's list of authorized uses; no standing "
            "patrol flights and no drone-as-first-responder programme."
        ),
        funding_source="State Homeland Security Grant Program",
        proposed_on=days_ago(400),
        approved_on=days_ago(45),
        planned_acquisition_on=days_ahead(60),
        authorized_uses=(
            "Searching for missing and at-risk people.",
            "Barricaded-suspect, hostage and active-shooter incidents.",
            "Mapping serious collision and major crime scenes.",
            "Disaster response under the Office of Emergency Services.",
        ),
    ),
    InventorySpec(
        agency="police",
        technology="cell-site-simulator",
        vendor="l3harris",
        status=IN_USE,
        purpose=(
            "locate a specific phone carried by a violent-felony suspect or a missing person, "
            "under a warrant or in a life-threatening emergency"
        ),
        locations="Deployed only where the target phone is believed to be; no fixed locations.",
        funding_source=(
            "Federal Urban Areas Security Initiative grant (purchase); General Fund (upkeep)"
        ),
        in_use_since=in_year(-8, 5, 1),
        notes="In use before the ordinance; no impact report has been filed yet.",
    ),
    InventorySpec(
        agency="police",
        technology="forensic-extraction",
        vendor="cellebrite",
        status=IN_USE,
        purpose="recover evidence from phones and computers seized under a warrant or with consent",
        locations="One extraction lab at Police Headquarters, Digital Forensics Unit.",
        funding_source="General Fund; asset forfeiture funds for licence renewals",
        proposed_on=in_year(-5, 5, 1),
        approved_on=in_year(-5, 12, 10),
        in_use_since=in_year(-4, 1, 15),
    ),
    InventorySpec(
        agency="police",
        technology="face-recognition",
        vendor="clearsight",
        status=PROPOSED,
        purpose="generate investigative leads on unidentified suspects in violent felonies",
        locations="Desktop software for six investigators at Police Headquarters.",
        funding_source="General Fund",
        proposed_on=days_ago(220),
        planned_acquisition_on=days_ahead(120),
    ),
    InventorySpec(
        agency="police",
        technology="real-time-crime-center",
        vendor="motorola-solutions",
        status=PROPOSED,
        purpose=(
            "give responding officers live information during violent incidents by bringing "
            "city camera feeds, plate-reader hits and gunshot alerts into one room"
        ),
        locations=(
            "A center at Police Headquarters connected to 230 city-owned cameras and to private "
            "cameras whose owners opt in."
        ),
        funding_source="General Fund; state Organized Retail Theft Prevention grant",
        proposed_on=days_ago(300),
        planned_acquisition_on=days_ago(20),
        notes="The planned start date has passed while the impact report is still in draft.",
    ),
    InventorySpec(
        agency="police",
        technology="camera-registry",
        vendor="axon",
        status=APPROVED,
        purpose="find privately owned cameras that may have recorded a crime and ask for footage",
        locations="A citywide, voluntary registry of residential and business cameras.",
        funding_source="General Fund",
        proposed_on=days_ago(500),
        approved_on=days_ago(100),
        planned_acquisition_on=days_ahead(30),
    ),
    InventorySpec(
        agency="police",
        technology="social-media-monitoring",
        vendor="dataminr",
        status=RETIRED,
        purpose="learn quickly of emergencies and threats of violence posted publicly online",
        locations="A web subscription used by the Intelligence Unit.",
        funding_source="General Fund",
        in_use_since=in_year(-7, 4, 1),
        retired_on=in_year(-3, 6, 30),
        notes="Retired after the Inspector General's audit found alerts set on protest events.",
    ),
    InventorySpec(
        agency="police",
        technology="predictive-policing",
        vendor="geolitica",
        status=RETIRED,
        purpose="direct discretionary patrol time to places where property crime was forecast",
        locations="Forecast boxes across all four police areas.",
        funding_source="Federal Smart Policing Initiative grant",
        in_use_since=in_year(-8, 1, 1),
        retired_on=in_year(-5, 12, 31),
        notes="Discontinued on the Commission's recommendation.",
    ),
    InventorySpec(
        agency="fire",
        technology="drones",
        vendor="skydio",
        status=IN_USE,
        purpose=(
            "size up large fires, find hot spots through smoke, assess hazardous-materials "
            "releases and search for people during rescues"
        ),
        locations=(
            "Carried by the two battalion chiefs' vehicles and Rescue 1; flown only at incidents."
        ),
        funding_source="General Fund; FEMA Assistance to Firefighters Grant",
        proposed_on=in_year(-3, 9, 15),
        approved_on=in_year(-2, 4, 1),
        in_use_since=in_year(-2, 8, 1),
        authorized_uses=(
            "Sizing up structure and vegetation fires and finding hot spots.",
            "Assessing hazardous-materials releases from a safe distance.",
            "Searching for people during water, cliff and collapse rescues.",
            "Damage assessment after earthquakes and storms.",
        ),
    ),
    InventorySpec(
        agency="transportation",
        technology="parking-alpr",
        vendor="genetec",
        status=IN_USE,
        purpose="enforce time limits and residential permits without chalking tyres",
        locations=(
            "Eight parking enforcement vehicles assigned to the metered districts and permit zones."
        ),
        funding_source="Parking enterprise fund",
        in_use_since=in_year(-5, 3, 1),
    ),
    InventorySpec(
        agency="transportation",
        technology="speed-cameras",
        vendor="verra-mobility",
        status=APPROVED,
        purpose=(
            "reduce speeding, and the deaths and serious injuries it causes, on high-injury streets"
        ),
        locations=(
            "Eighteen camera sites on the high-injury network and near schools, chosen by "
            "collision history and reviewed for equity before installation."
        ),
        funding_source="Citation revenue under the state speed-safety pilot programme",
        proposed_on=days_ago(420),
        approved_on=days_ago(90),
        planned_acquisition_on=days_ahead(100),
    ),
    InventorySpec(
        agency="public-works",
        technology="fixed-cctv",
        vendor="verkada",
        status=IN_USE,
        purpose="catch and deter illegal dumping at the city's worst dumping hot spots",
        locations=(
            "Twenty-two cameras at illegal-dumping hot spots in Brickyard, Tidewater and the "
            "Eastshore industrial corridor, moved as hot spots change."
        ),
        funding_source="Environmental Enforcement Fund",
        proposed_on=in_year(-4, 8, 1),
        approved_on=in_year(-3, 5, 1),
        in_use_since=in_year(-3, 9, 1),
        authorized_uses=(
            "Identifying vehicles used to dump waste illegally, for civil citations.",
            "Planning clean-up crews from footage of dumping.",
        ),
        prohibited_uses=(
            "Audio recording.",
            "Face recognition.",
            "Monitoring unhoused residents or their encampments.",
            (
                "Sharing footage with police except for a crime other than dumping, with a case "
                "number."
            ),
        ),
    ),
    InventorySpec(
        agency="port",
        technology="fixed-cctv",
        vendor="motorola-solutions",
        status=IN_USE,
        purpose=(
            "protect terminals, the ferry terminal and the waterfront as the federal Maritime "
            "Transportation Security Act requires"
        ),
        locations=(
            "312 cameras at the Outer and Inner Harbor terminals, the ferry terminal and the "
            "Harbor Point waterfront."
        ),
        funding_source="Port operating revenue; Port Security Grant Program",
        in_use_since=in_year(-7, 1, 1),
    ),
    InventorySpec(
        agency="port",
        technology="video-analytics",
        vendor="briefcam",
        status=IN_USE,
        purpose="find relevant footage after security incidents without hours of manual review",
        locations="Runs on recorded video from the Port's terminal and ferry terminal cameras.",
        funding_source="Port Security Grant Program",
        proposed_on=in_year(-2, 5, 1),
        approved_on=in_year(-2, 12, 15),
        in_use_since=in_year(-1, 4, 1),
    ),
    InventorySpec(
        agency="library",
        technology="fixed-cctv",
        vendor="verkada",
        status=PROPOSED,
        purpose=(
            "respond to thefts, vandalism and assaults on staff at the Main Library and branches"
        ),
        locations=(
            "Entrances, book-return areas and parking lots of the Main Library and three "
            "branches. No cameras in reading rooms, computer areas or restrooms."
        ),
        funding_source="Library Services Parcel Tax",
        proposed_on=days_ago(150),
        planned_acquisition_on=days_ahead(150),
        prohibited_uses=(
            "Recording what patrons read, borrow or view.",
            "Cameras in reading rooms, computer areas, study rooms or restrooms.",
            "Audio recording or face recognition.",
            "Sharing footage without a subpoena or warrant, except of a crime against staff.",
        ),
    ),
    InventorySpec(
        agency="housing-authority",
        technology="access-control",
        vendor="brivo",
        status=IN_USE,
        purpose="replace lost metal keys and keep non-residents out of buildings",
        locations=(
            "Entrances and common rooms of Tidewater Towers and Harbor View Senior Apartments."
        ),
        funding_source="HUD Capital Fund",
        in_use_since=in_year(-4, 6, 1),
    ),
    InventorySpec(
        agency="housing-authority",
        technology="fixed-cctv",
        vendor="verkada",
        status=RETIRED,
        purpose="investigate break-ins and vandalism in building common areas",
        locations="Lobbies and laundry rooms of Lakeview Gardens and Brickyard Homes.",
        funding_source="HUD Capital Fund",
        in_use_since=in_year(-6, 1, 1),
        retired_on=in_year(-1, 6, 30),
        notes="Removed after residents voted against renewing the cameras.",
    ),
)


def _annual(agency, technology, year_offset, status, **extra):
    """The annual report for a year counted from the latest reported year."""
    february_after_the_year = in_year(year_offset + 1, 2, 20)
    return FilingPlan(
        agency=agency,
        kind="annual_report",
        status=status,
        technology=technology,
        year_offset=year_offset,
        filed=extra.pop("filed", february_after_the_year),
        **extra,
    )


PUBLISHED = Status.PUBLISHED
ACCEPTED = Status.ACCEPTED
IN_REVIEW = Status.IN_REVIEW
SUBMITTED = Status.SUBMITTED
CHANGES_REQUESTED = Status.CHANGES_REQUESTED
DRAFT = Status.DRAFT
WITHDRAWN = Status.WITHDRAWN
REJECTED = Status.REJECTED

REVISED_AND_PUBLISHED = (
    SUBMITTED,
    IN_REVIEW,
    CHANGES_REQUESTED,
    SUBMITTED,
    IN_REVIEW,
    ACCEPTED,
    PUBLISHED,
)
PUBLISHED_THEN_WITHDRAWN = (SUBMITTED, IN_REVIEW, ACCEPTED, PUBLISHED, WITHDRAWN)
SUBMITTED_THEN_WITHDRAWN = (SUBMITTED, WITHDRAWN)

FILINGS = (
    # Police: fixed plate readers, the department's most-watched technology.
    FilingPlan("police", "acquisition_notice", PUBLISHED, in_year(-5, 2, 10), "fixed-alpr"),
    FilingPlan("police", "impact_report", PUBLISHED, in_year(-5, 4, 1), "fixed-alpr"),
    FilingPlan(
        "police",
        "commission_recommendation",
        PUBLISHED,
        in_year(-5, 6, 12),
        "fixed-alpr",
        details={
            "recommendation": "approve_with_changes",
            "rationale": (
                "The Commission accepted that plate readers at the city's entry points can "
                "help recover stolen vehicles, but found the proposed one-year retention of "
                "non-hit reads unjustified. It recommended approval on three conditions:\n\n"
                "1. Non-hit reads are deleted after 30 days.\n"
                "2. No data are shared with agencies outside California.\n"
                "3. The camera map is published and kept current.\n\n"
                "The department accepted all three, and they appear in the use policy."
            ),
            "public_comment": (
                "Twenty-three people spoke. Fifteen opposed the cameras, most citing the "
                "misuse of plate data for immigration enforcement elsewhere; eight, including "
                "two neighbourhood councils, supported them because of vehicle thefts."
            ),
        },
    ),
    FilingPlan(
        "police",
        "use_policy",
        PUBLISHED,
        in_year(-5, 7, 1),
        "fixed-alpr",
        route=REVISED_AND_PUBLISHED,
    ),
    FilingPlan(
        "police",
        "contract",
        PUBLISHED,
        in_year(-5, 10, 20),
        "fixed-alpr",
        contract=ContractTerms(
            amount="552000.00",
            period_start=in_year(-5, 11, 1),
            period_end=in_year(-2, 10, 31),
            award_date=in_year(-5, 10, 8),
            funding_source="General Fund (Police Department operating budget)",
            contract_number="ABPD-C-0417",
        ),
    ),
    FilingPlan(
        "police",
        "contract",
        IN_REVIEW,
        days_ago(40),
        "fixed-alpr",
        title="Contract renewal with Flock Safety: fixed automated license plate readers",
        contract=ContractTerms(
            amount="618750.00",
            period_start=days_ahead(30),
            period_end=days_ahead(30 + 3 * 365),
            award_date=days_ago(55),
            funding_source="General Fund (Police Department operating budget)",
            contract_number="ABPD-C-0652",
        ),
    ),
    _annual("police", "fixed-alpr", -2, PUBLISHED),
    _annual("police", "fixed-alpr", -1, PUBLISHED),
    _annual("police", "fixed-alpr", 0, SUBMITTED),
    FilingPlan(
        "police",
        "audit",
        PUBLISHED,
        in_year(0, 10, 6),
        "fixed-alpr",
        title="City Auditor: license plate reader retention and search audit",
        reporting_period=(in_year(-1, 1, 1), in_year(0, 6, 30)),
        details={
            "auditor": "Office of the City Auditor",
            "findings": (
                "1. Automatic deletion of non-hit reads after 30 days worked as configured: a "
                "sample of 500 reads older than 30 days found none still stored.\n"
                "2. 212 of 4,318 searches (4.9%) gave a case number that did not match any "
                "open case, most of them typing errors.\n"
                "3. 11 accounts belonged to officers who had left the department, up to 94 "
                "days after separation. None was used after separation.\n"
                "4. The published camera map omitted two cameras moved during road works."
            ),
            "recommendations": (
                "1. Validate case numbers against the records system when a search is made.\n"
                "2. Disable accounts automatically when Human Resources records a separation.\n"
                "3. Update the camera map within ten days of any camera move."
            ),
            "agency_response": (
                "The department agrees with all three recommendations. Case-number validation "
                "was switched on in the vendor portal in the following quarter; account removal "
                "is now part of the separation checklist; the map was corrected."
            ),
        },
    ),
    # Police: body-worn cameras, in use before the ordinance.
    FilingPlan("police", "impact_report", PUBLISHED, in_year(-5, 1, 15), "body-worn-cameras"),
    FilingPlan("police", "use_policy", PUBLISHED, in_year(-5, 3, 1), "body-worn-cameras"),
    FilingPlan(
        "police",
        "contract",
        PUBLISHED,
        in_year(-2, 5, 2),
        "body-worn-cameras",
        contract=ContractTerms(
            amount="6240000.00",
            period_start=in_year(-2, 7, 1),
            period_end=in_year(3, 6, 30),
            award_date=in_year(-2, 4, 18),
            funding_source="General Fund; federal Body-Worn Camera Policy and Implementation grant",
            contract_number="ABPD-C-0561",
        ),
    ),
    _annual("police", "body-worn-cameras", -2, PUBLISHED),
    _annual(
        "police",
        "body-worn-cameras",
        -1,
        ACCEPTED,
        filed=in_year(0, 4, 28),
        details={
            "data_breaches": (
                "One incident. A former officer's account stayed active for 19 days after "
                "separation. The access log shows no recordings were viewed in that time. "
                "Account removal is now part of the separation checklist."
            ),
        },
    ),
    _annual("police", "body-worn-cameras", 0, CHANGES_REQUESTED),
    FilingPlan(
        "police",
        "audit",
        ACCEPTED,
        in_year(0, 9, 2),
        "body-worn-cameras",
        title="Inspector General: body-worn camera activation compliance",
        reporting_period=(in_year(0, 1, 1), in_year(0, 6, 30)),
        details={
            "auditor": "Office of the Inspector General",
            "findings": (
                "1. In a random sample of 400 enforcement contacts, officers activated their "
                "cameras before the contact in 87% and late in 9%; 4% had no recording.\n"
                "2. Late activation was twice as common in traffic stops as in dispatched calls.\n"
                "3. Supervisors reviewed the required two recordings per officer per month in "
                "only 61% of months sampled."
            ),
            "recommendations": (
                "1. Turn on automatic activation when a patrol car's emergency lights are used.\n"
                "2. Report each squad's activation rate to its lieutenant monthly.\n"
                "3. Track supervisors' reviews in the evidence system rather than on paper."
            ),
            "agency_response": (
                "Agreed. Automatic activation with emergency lights is now enabled on all "
                "cameras, and monthly activation reports go to every lieutenant."
            ),
        },
    ),
    # Police: gunshot detection.
    FilingPlan("police", "impact_report", PUBLISHED, in_year(-7, 10, 1), "gunshot-detection"),
    FilingPlan("police", "use_policy", PUBLISHED, in_year(-7, 11, 15), "gunshot-detection"),
    FilingPlan(
        "police",
        "commission_recommendation",
        PUBLISHED,
        in_year(-1, 4, 20),
        "gunshot-detection",
        details={
            "recommendation": "approve_with_changes",
            "rationale": (
                "Reviewing the contract renewal, the Commission found the system's value "
                "depends on how often alerts lead to evidence or aid. It recommended renewal "
                "for two years rather than five, with the annual report to show alerts, "
                "evidence found and victims aided for each police area."
            ),
            "public_comment": (
                "Eleven speakers. Residents of Eastshore were divided; a youth organisation "
                "opposed renewal, citing stops of young people near alert locations."
            ),
        },
    ),
    FilingPlan(
        "police",
        "contract",
        PUBLISHED,
        in_year(-1, 6, 3),
        "gunshot-detection",
        contract=ContractTerms(
            amount="1390000.00",
            period_start=in_year(-1, 7, 1),
            period_end=in_year(1, 6, 30),
            award_date=in_year(-1, 5, 21),
            funding_source="General Fund; Measure Z violence-prevention funds",
            contract_number="ABPD-C-0603",
        ),
    ),
    _annual("police", "gunshot-detection", -2, PUBLISHED),
    _annual("police", "gunshot-detection", -1, PUBLISHED),
    _annual("police", "gunshot-detection", 0, IN_REVIEW),
    # Police: drones, approved but not yet flying.
    FilingPlan("police", "acquisition_notice", PUBLISHED, days_ago(390), "drones"),
    FilingPlan(
        "police",
        "exigent_use_report",
        PUBLISHED,
        days_ago(300),
        "drones",
        title="Exigent use of a drone: search for a missing 7-year-old in Cedar Heights",
        details={
            "circumstances": (
                "A 7-year-old with autism left home in Cedar Heights at dusk and was missing "
                "in the wooded canyon behind the reservoir. With night falling and temperatures "
                "near freezing, the incident commander judged the child at imminent risk of "
                "serious injury. The department had no approved drone, so it flew one borrowed "
                "from the Fire Department, with a Fire Department pilot."
            ),
            "data_collected": (
                "Forty minutes of thermal and colour video of the canyon and the backs of "
                "nine homes bordering it. The child was found after 35 minutes. All video was "
                "deleted 30 days later except a two-minute clip kept for the after-action review."
            ),
        },
    ),
    FilingPlan("police", "impact_report", PUBLISHED, days_ago(330), "drones"),
    FilingPlan(
        "police",
        "commission_recommendation",
        PUBLISHED,
        days_ago(200),
        "drones",
        details={
            "recommendation": "approve_with_changes",
            "rationale": (
                "The Commission supported drones for searches, barricaded-suspect incidents and "
                "scene mapping, but not for responding to routine calls. It asked that the use "
                "policy rule out drone-as-first-responder flights and that every flight be "
                "listed in the annual report with its purpose and area."
            ),
            "public_comment": (
                "Seventeen speakers, most opposed to any drone use; several asked for a ban on "
                "flights over protests, which the policy now includes."
            ),
        },
    ),
    FilingPlan(
        "police",
        "use_policy",
        ACCEPTED,
        days_ago(160),
        "drones",
        route=(SUBMITTED, IN_REVIEW, CHANGES_REQUESTED, SUBMITTED, IN_REVIEW, ACCEPTED),
    ),
    FilingPlan(
        "police",
        "contract",
        SUBMITTED,
        days_ago(30),
        "drones",
        contract=ContractTerms(
            amount="238400.00",
            period_start=days_ahead(60),
            period_end=days_ahead(60 + 2 * 365),
            award_date=days_ago(36),
            funding_source="State Homeland Security Grant Program",
            contract_number="ABPD-C-0668",
        ),
    ),
    # Police: cell-site simulator, whose impact report was never filed.
    FilingPlan("police", "use_policy", PUBLISHED, in_year(-6, 6, 1), "cell-site-simulator"),
    _annual("police", "cell-site-simulator", -2, PUBLISHED),
    _annual("police", "cell-site-simulator", -1, SUBMITTED, filed=in_year(0, 6, 9)),
    # Police: forensic extraction.
    FilingPlan("police", "acquisition_notice", PUBLISHED, in_year(-5, 6, 1), "forensic-extraction"),
    FilingPlan("police", "impact_report", PUBLISHED, in_year(-5, 8, 1), "forensic-extraction"),
    FilingPlan("police", "use_policy", PUBLISHED, in_year(-5, 10, 1), "forensic-extraction"),
    FilingPlan(
        "police",
        "contract",
        PUBLISHED,
        in_year(-5, 12, 14),
        "forensic-extraction",
        contract=ContractTerms(
            amount="312000.00",
            period_start=in_year(-4, 1, 1),
            period_end=in_year(0, 12, 31),
            award_date=in_year(-5, 12, 1),
            funding_source="General Fund; asset forfeiture funds",
            contract_number="ABPD-C-0458",
        ),
    ),
    _annual("police", "forensic-extraction", -2, PUBLISHED),
    _annual("police", "forensic-extraction", -1, PUBLISHED),
    _annual(
        "police",
        "forensic-extraction",
        0,
        DRAFT,
        filed=in_year(1, 3, 1),
        missing=("effectiveness", "records_requests"),
    ),
    # Police: face recognition, which the Commission recommended rejecting.
    FilingPlan("police", "acquisition_notice", PUBLISHED, days_ago(210), "face-recognition"),
    FilingPlan("police", "impact_report", IN_REVIEW, days_ago(150), "face-recognition"),
    FilingPlan(
        "police",
        "use_policy",
        WITHDRAWN,
        days_ago(140),
        "face-recognition",
        route=SUBMITTED_THEN_WITHDRAWN,
    ),
    FilingPlan(
        "police",
        "commission_recommendation",
        PUBLISHED,
        days_ago(95),
        "face-recognition",
        details={
            "recommendation": "reject",
            "rationale": (
                "The Commission recommends that the City Council reject the proposal. The "
                "vendor's database was built from images collected without consent; the "
                "department could not say how accurate the vendor's algorithm is for the "
                "city's population; and documented wrongful arrests elsewhere show that "
                "treating matches as leads only does not prevent harm."
            ),
            "public_comment": (
                "Forty-one speakers and 260 written comments; all but three opposed the "
                "proposal. Speakers included civil-rights groups, a public defender and "
                "residents who had been misidentified by other systems."
            ),
        },
    ),
    # Police: real-time crime center, proposed and late.
    FilingPlan("police", "acquisition_notice", SUBMITTED, days_ago(60), "real-time-crime-center"),
    FilingPlan(
        "police",
        "impact_report",
        DRAFT,
        days_ago(50),
        "real-time-crime-center",
        missing=("disparate_impact", "civil_liberties_safeguards"),
    ),
    FilingPlan(
        "police",
        "exigent_use_report",
        IN_REVIEW,
        days_ago(25),
        "real-time-crime-center",
        title="Exigent use of the real-time crime center platform: ferry terminal bomb threat",
        details={
            "circumstances": (
                "A caller threatened to detonate a bomb at the Harbor Point ferry terminal "
                "during the evening commute. While the terminal was evacuated, the department "
                "used the vendor's trial installation of the real-time crime center platform "
                "to view the Port's terminal cameras and look for the caller and any device."
            ),
            "data_collected": (
                "Analysts viewed 26 Port cameras live for about three hours. No video was "
                "recorded by the platform; the viewing log was kept. No device was found and "
                "the trial installation was switched off the next morning."
            ),
        },
    ),
    # Police: private camera registry.
    FilingPlan("police", "acquisition_notice", PUBLISHED, days_ago(480), "camera-registry"),
    FilingPlan("police", "impact_report", PUBLISHED, days_ago(420), "camera-registry"),
    FilingPlan(
        "police",
        "commission_recommendation",
        ACCEPTED,
        days_ago(300),
        "camera-registry",
        details={
            "recommendation": "approve",
            "rationale": (
                "A voluntary registry that gives no live access and leaves every decision to "
                "share with the camera owner is a proportionate way to find footage after a "
                "crime. The Commission recommends approval as proposed."
            ),
            "public_comment": "Six speakers, four in favour.",
        },
    ),
    FilingPlan("police", "use_policy", CHANGES_REQUESTED, days_ago(80), "camera-registry"),
    FilingPlan(
        "police",
        "contract",
        DRAFT,
        days_ago(20),
        "camera-registry",
        contract=ContractTerms(
            amount="70000.00",
            period_start=days_ahead(30),
            period_end=days_ahead(30 + 2 * 365),
            award_date=days_ago(10),
            funding_source="General Fund",
            contract_number="ABPD-C-0671",
        ),
    ),
    # Police: retired technologies.
    FilingPlan(
        "police",
        "use_policy",
        WITHDRAWN,
        in_year(-7, 2, 1),
        "social-media-monitoring",
        route=PUBLISHED_THEN_WITHDRAWN,
    ),
    _annual("police", "social-media-monitoring", -4, PUBLISHED),
    FilingPlan(
        "police",
        "audit",
        PUBLISHED,
        in_year(-3, 3, 1),
        "social-media-monitoring",
        title="Inspector General: social media monitoring alerts",
        reporting_period=(in_year(-5, 1, 1), in_year(-4, 12, 31)),
        details={
            "auditor": "Office of the Inspector General",
            "findings": (
                "1. Analysts had set 14 alert topics naming planned demonstrations, including a "
                "teachers' strike rally and a vigil, which the use policy prohibits.\n"
                "2. Alerts from those topics were forwarded to patrol on 37 occasions.\n"
                "3. No log showed who created each alert topic or why."
            ),
            "recommendations": (
                "1. Delete the prohibited alert topics and all alerts they produced.\n"
                "2. Require a supervisor's written approval, with a reason, for every topic.\n"
                "3. Ask the Commission whether the subscription should continue."
            ),
            "agency_response": (
                "The department deleted the topics and alerts, and decided not to renew the "
                "subscription. Use ended at the close of the contract year."
            ),
        },
    ),
    FilingPlan(
        "police",
        "use_policy",
        WITHDRAWN,
        in_year(-8, 2, 1),
        "predictive-policing",
        route=PUBLISHED_THEN_WITHDRAWN,
    ),
    _annual("police", "predictive-policing", -6, PUBLISHED),
    FilingPlan(
        "police",
        "commission_recommendation",
        PUBLISHED,
        in_year(-5, 10, 8),
        "predictive-policing",
        details={
            "recommendation": "reject",
            "rationale": (
                "Reviewing the annual report, the Commission found no evidence the forecasts "
                "reduced crime and a risk that they concentrate patrols in the same "
                "neighbourhoods. It recommends that the City Council end the department's use "
                "of predictive policing software."
            ),
            "public_comment": "Nineteen speakers, all supporting an end to the programme.",
        },
    ),
    # Police: department-wide audits.
    FilingPlan(
        "police",
        "audit",
        PUBLISHED,
        in_year(0, 11, 17),
        title="City Auditor: police compliance with the surveillance ordinance",
        reporting_period=(in_year(-1, 7, 1), in_year(0, 6, 30)),
        details={
            "auditor": "Office of the City Auditor",
            "findings": (
                "1. Of nine technologies the department used in the period, two lacked a "
                "complete set of filings: the cell-site simulator has no impact report, and "
                "one annual report was filed nearly three months late.\n"
                "2. Annual reports for the other technologies were complete and on time.\n"
                "3. The department's inventory omitted a free trial of a video platform used "
                "for two weeks."
            ),
            "recommendations": (
                "1. File the cell-site simulator impact report within 90 days.\n"
                "2. Require a Chapter 9.64 review before any free trial or pilot.\n"
                "3. Report overdue filings to the Chief every month."
            ),
            "agency_response": (
                "The department agrees. The impact report is in preparation, and the "
                "Compliance Unit now reviews all trials before they start."
            ),
        },
    ),
    FilingPlan(
        "police",
        "audit",
        SUBMITTED,
        days_ago(20),
        title="Controller: surveillance technology spending review",
        reporting_period=(in_year(-1, 7, 1), in_year(0, 6, 30)),
        details={
            "auditor": "Office of the City Controller",
            "findings": (
                "1. Surveillance technology spending reported in annual reports matched the "
                "financial system within 2% for every technology.\n"
                "2. Personnel costs were estimated inconsistently: some reports counted only "
                "vendor invoices."
            ),
            "recommendations": "1. Adopt one method for estimating staff time in annual reports.",
        },
    ),
    # Fire: drones, approved and in use.
    FilingPlan("fire", "acquisition_notice", PUBLISHED, in_year(-3, 10, 1), "drones"),
    FilingPlan("fire", "impact_report", PUBLISHED, in_year(-3, 12, 1), "drones"),
    FilingPlan(
        "fire",
        "commission_recommendation",
        PUBLISHED,
        in_year(-2, 2, 16),
        "drones",
        details={
            "recommendation": "approve",
            "rationale": (
                "The Fire Department's uses (fire size-up, hazardous materials, rescues and "
                "damage assessment) rarely involve identifying people, and the policy bars "
                "sharing video with police except as evidence of arson. The Commission "
                "recommends approval."
            ),
            "public_comment": "Four speakers, all in favour.",
        },
    ),
    FilingPlan("fire", "use_policy", PUBLISHED, in_year(-2, 3, 1), "drones"),
    FilingPlan(
        "fire",
        "contract",
        PUBLISHED,
        in_year(-2, 5, 3),
        "drones",
        contract=ContractTerms(
            amount="186500.00",
            period_start=in_year(-2, 6, 1),
            period_end=in_year(1, 5, 31),
            award_date=in_year(-2, 4, 22),
            funding_source="FEMA Assistance to Firefighters Grant",
            contract_number="ABFD-C-0112",
        ),
    ),
    _annual("fire", "drones", -2, PUBLISHED),
    _annual("fire", "drones", -1, PUBLISHED),
    _annual("fire", "drones", 0, SUBMITTED),
    # Transportation: parking plate readers and speed cameras.
    FilingPlan("transportation", "impact_report", PUBLISHED, in_year(-6, 9, 1), "parking-alpr"),
    FilingPlan("transportation", "use_policy", PUBLISHED, in_year(-6, 11, 1), "parking-alpr"),
    FilingPlan(
        "transportation",
        "contract",
        PUBLISHED,
        in_year(-1, 2, 5),
        "parking-alpr",
        contract=ContractTerms(
            amount="845000.00",
            period_start=in_year(-1, 3, 1),
            period_end=in_year(2, 2, 28),
            award_date=in_year(-1, 1, 22),
            funding_source="Parking enterprise fund",
            contract_number="DOT-C-2291",
        ),
    ),
    _annual("transportation", "parking-alpr", -2, PUBLISHED),
    _annual("transportation", "parking-alpr", -1, PUBLISHED),
    _annual("transportation", "parking-alpr", 0, ACCEPTED),
    FilingPlan("transportation", "acquisition_notice", PUBLISHED, days_ago(400), "speed-cameras"),
    FilingPlan("transportation", "impact_report", PUBLISHED, days_ago(330), "speed-cameras"),
    FilingPlan(
        "transportation",
        "commission_recommendation",
        PUBLISHED,
        days_ago(210),
        "speed-cameras",
        details={
            "recommendation": "approve_with_changes",
            "rationale": (
                "The Commission supports cameras that photograph only plates of speeding "
                "vehicles on the high-injury network. It asked that images never be shared "
                "with the police, that each site get an equity review before installation, and "
                "that citations and fines be reported by neighbourhood every year."
            ),
            "public_comment": (
                "Twenty-two speakers; traffic-safety advocates and parents supported the "
                "cameras, while some Eastshore residents worried about the cost of fines."
            ),
        },
    ),
    FilingPlan("transportation", "use_policy", SUBMITTED, days_ago(40), "speed-cameras"),
    # Filed for the speed cameras already approved: staff rejected it as a duplicate.
    FilingPlan(
        "transportation",
        "acquisition_notice",
        REJECTED,
        days_ago(90),
        "speed-cameras",
        title="Acquisition notice: speed safety cameras (filed again in error)",
    ),
    FilingPlan(
        "transportation",
        "contract",
        CHANGES_REQUESTED,
        days_ago(35),
        "speed-cameras",
        contract=ContractTerms(
            amount="3180000.00",
            period_start=days_ahead(100),
            period_end=days_ahead(100 + 5 * 365),
            award_date=days_ago(42),
            funding_source="Citation revenue (speed-safety pilot programme)",
            contract_number="DOT-C-2350",
        ),
    ),
    # Public Works: illegal-dumping cameras.
    FilingPlan("public-works", "acquisition_notice", PUBLISHED, in_year(-4, 8, 15), "fixed-cctv"),
    FilingPlan("public-works", "impact_report", PUBLISHED, in_year(-4, 12, 15), "fixed-cctv"),
    FilingPlan("public-works", "use_policy", PUBLISHED, in_year(-3, 2, 1), "fixed-cctv"),
    _annual("public-works", "fixed-cctv", -2, PUBLISHED),
    _annual("public-works", "fixed-cctv", -1, ACCEPTED),
    FilingPlan(
        "public-works",
        "exigent_use_report",
        SUBMITTED,
        in_year(0, 2, 12),
        "fixed-cctv",
        title="Exigent use of dumping cameras to watch the Tidewater levee",
        details={
            "circumstances": (
                "During an atmospheric-river storm the Tidewater levee began seeping and the "
                "Office of Emergency Services ordered an evacuation warning. Crews re-aimed "
                "two illegal-dumping cameras at the levee so the emergency operations center "
                "could watch the water level through the night, a use the policy does not cover."
            ),
            "data_collected": (
                "About 50 hours of video of the levee and the path along it. A few people "
                "walking the path were recorded. The footage was overwritten after 30 days; "
                "no clips were exported."
            ),
        },
    ),
    FilingPlan(
        "public-works",
        "audit",
        CHANGES_REQUESTED,
        days_ago(45),
        "fixed-cctv",
        title="City Auditor: illegal-dumping camera programme",
        reporting_period=(in_year(-1, 1, 1), in_year(0, 12, 31)),
        details={
            "auditor": "Office of the City Auditor",
            "findings": (
                "1. Cameras led to 318 civil dumping citations; the citation rate at camera "
                "sites fell by a third after the first year.\n"
                "2. Three cameras were moved to new hot spots without updating the published "
                "location list.\n"
                "3. Exported clips were stored on a shared drive without access logging."
            ),
            "recommendations": (
                "1. Publish camera moves before the camera is switched on at the new site.\n"
                "2. Keep exported clips only in the camera system, where access is logged."
            ),
            "agency_response": (
                "Agreed. The shared-drive folder was deleted and exports now stay in the "
                "camera system."
            ),
        },
    ),
    # Port: cameras and video analytics.
    FilingPlan("port", "impact_report", PUBLISHED, in_year(-6, 5, 1), "fixed-cctv"),
    FilingPlan("port", "use_policy", PUBLISHED, in_year(-6, 7, 1), "fixed-cctv"),
    FilingPlan(
        "port",
        "contract",
        PUBLISHED,
        in_year(-1, 8, 4),
        "fixed-cctv",
        contract=ContractTerms(
            amount="1475000.00",
            period_start=in_year(-1, 9, 1),
            period_end=in_year(4, 8, 31),
            award_date=in_year(-1, 7, 24),
            funding_source="Port operating revenue; Port Security Grant Program",
            contract_number="POAB-C-7734",
        ),
    ),
    _annual("port", "fixed-cctv", -2, PUBLISHED),
    _annual("port", "fixed-cctv", -1, PUBLISHED),
    _annual("port", "fixed-cctv", 0, PUBLISHED),
    FilingPlan("port", "acquisition_notice", PUBLISHED, in_year(-2, 6, 1), "video-analytics"),
    FilingPlan("port", "impact_report", PUBLISHED, in_year(-2, 8, 1), "video-analytics"),
    FilingPlan(
        "port",
        "commission_recommendation",
        PUBLISHED,
        in_year(-2, 10, 9),
        "video-analytics",
        details={
            "recommendation": "approve_with_changes",
            "rationale": (
                "The Commission supports object search to shorten incident review, on "
                "condition that face recognition and appearance-similarity search are switched "
                "off, that the configuration is audited quarterly, and that the software is "
                "never used to monitor labour activity at the terminals."
            ),
            "public_comment": (
                "Nine speakers, including the longshore workers' union, which asked for the "
                "labour-activity condition."
            ),
        },
    ),
    FilingPlan("port", "use_policy", PUBLISHED, in_year(-2, 12, 1), "video-analytics"),
    FilingPlan(
        "port",
        "contract",
        PUBLISHED,
        in_year(-1, 2, 9),
        "video-analytics",
        contract=ContractTerms(
            amount="342000.00",
            period_start=in_year(-1, 3, 1),
            period_end=in_year(2, 2, 28),
            award_date=in_year(-1, 1, 27),
            funding_source="Port Security Grant Program",
            contract_number="POAB-C-7790",
        ),
    ),
    _annual("port", "video-analytics", -1, PUBLISHED),
    _annual("port", "video-analytics", 0, IN_REVIEW),
    # Library: cameras proposed at branches.
    FilingPlan("library", "acquisition_notice", PUBLISHED, days_ago(140), "fixed-cctv"),
    FilingPlan("library", "impact_report", CHANGES_REQUESTED, days_ago(100), "fixed-cctv"),
    FilingPlan("library", "use_policy", DRAFT, days_ago(60), "fixed-cctv"),
    FilingPlan(
        "library",
        "commission_recommendation",
        DRAFT,
        days_ago(12),
        "fixed-cctv",
        details={
            "recommendation": "approve_with_changes",
            "rationale": (
                "Draft for the next meeting: staff suggest approval limited to entrances, "
                "book returns and parking lots, with the patron-privacy prohibitions in the "
                "draft use policy."
            ),
        },
        missing=("meeting_date",),
    ),
    # Housing Authority: access control and retired cameras.
    FilingPlan(
        "housing-authority", "impact_report", PUBLISHED, in_year(-5, 11, 1), "access-control"
    ),
    FilingPlan("housing-authority", "use_policy", PUBLISHED, in_year(-5, 12, 15), "access-control"),
    FilingPlan(
        "housing-authority",
        "contract",
        PUBLISHED,
        in_year(-4, 3, 2),
        "access-control",
        contract=ContractTerms(
            amount="264000.00",
            period_start=in_year(-4, 4, 1),
            period_end=in_year(1, 3, 31),
            award_date=in_year(-4, 2, 20),
            funding_source="HUD Capital Fund",
            contract_number="ABHA-C-0088",
        ),
    ),
    _annual("housing-authority", "access-control", -2, PUBLISHED),
    _annual("housing-authority", "access-control", -1, PUBLISHED),
    _annual(
        "housing-authority",
        "access-control",
        0,
        WITHDRAWN,
        route=SUBMITTED_THEN_WITHDRAWN,
    ),
    FilingPlan(
        "housing-authority",
        "audit",
        SUBMITTED,
        days_ago(15),
        "access-control",
        title="Inspector General: resident data in the access-control system",
        reporting_period=(in_year(0, 1, 1), in_year(0, 12, 31)),
        details={
            "auditor": "Office of the Inspector General",
            "findings": (
                "1. Entry logs older than 90 days were deleted as the policy requires.\n"
                "2. Property managers at one development exported entry logs twice to support "
                "lease-violation notices about unauthorized occupants, which the policy forbids."
            ),
            "recommendations": (
                "1. Withdraw the two notices that relied on entry logs.\n"
                "2. Remove the export permission from property managers' accounts."
            ),
            "agency_response": (
                "Both notices were withdrawn and the export permission removed. Managers "
                "received the policy training again."
            ),
        },
    ),
    FilingPlan("housing-authority", "use_policy", PUBLISHED, in_year(-6, 2, 1), "fixed-cctv"),
    _annual("housing-authority", "fixed-cctv", -2, PUBLISHED),
    _annual("housing-authority", "fixed-cctv", -1, PUBLISHED),
)

# The demo passwords are public on purpose: the command prints them so that
# anyone trying the portal can sign in. They belong to demo databases only.
DEMO_USERS = (
    DemoUser(
        username="admin",
        password="tidewater-lantern-42",  # noqa: S106
        first_name="Demo",
        last_name="Administrator",
        email="admin@alamedabay.example",
        role="Superuser (Wagtail and Django admin)",
        superuser=True,
    ),
    DemoUser(
        username="oversight-staff",
        password="commission-ledger-19",  # noqa: S106
        first_name="Rosa",
        last_name="Delgado",
        email="rosa.delgado@alamedabay.example",
        role="Oversight staff (Privacy Advisory Commission)",
        oversight_staff=True,
    ),
    DemoUser(
        username="police-submitter",
        password="harbor-point-patrol-3",  # noqa: S106
        first_name="Marcus",
        last_name="Bell",
        email="marcus.bell@police.alamedabay.example",
        role="Submitter, Alameda Bay Police Department",
        agency="police",
        membership_role=Membership.Role.SUBMITTER,
    ),
    DemoUser(
        username="police-approver",
        password="old-town-approval-8",  # noqa: S106
        first_name="Helen",
        last_name="Park",
        email="helen.park@police.alamedabay.example",
        role="Approver, Alameda Bay Police Department",
        agency="police",
        membership_role=Membership.Role.APPROVER,
    ),
    DemoUser(
        username="transport-submitter",
        password="eastshore-signals-5",  # noqa: S106
        first_name="Samir",
        last_name="Haddad",
        email="samir.haddad@alamedabay.example",
        role="Submitter, Alameda Bay Department of Transportation",
        agency="transportation",
        membership_role=Membership.Role.SUBMITTER,
    ),
)
